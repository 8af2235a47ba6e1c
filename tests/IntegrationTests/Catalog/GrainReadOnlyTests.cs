using System.Net;
using System.Net.Http.Json;
using Npgsql;
using PerfReference.IntegrationTests.Infrastructure;
using StackExchange.Redis;
using static PerfReference.TestSupport.PerfHeaders;

namespace PerfReference.IntegrationTests.Catalog;

/// <summary>
/// <c>grain-read-only</c> on the real topology: with a customer's order being recorded and its grain's write held in
/// Redis (grain storage), the optimized read of the customer answers at once, without the order, and the naive read
/// waits until the write is done and answers with it. Nothing here is timed: the write is held, not slowed.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class GrainReadOnlyTests(TopologyFixture topology)
{
    private const string Entry = "grain-read-only";
    private const long CustomerId = 75;
    private static readonly (long ProductId, int Quantity)[] Lines = [(14, 1)];

    /// <summary>Long enough for anything on this machine that is not held; only what a hold blocks ever takes it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WhileTheCustomersWriteIsHeldTheOptimizedReadAnswersWhatStorageHoldsAndTheNaiveReadWaitsForIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await topology.WaitUntilPaymentsCircuitClosedAsync(ct);
        using var warmUp = await topology.Orders.SendAsync(Checkouts.Request(CustomerId, Lines, Checkouts.NewKey()), ct); // the grain, the product's cache entry
        await Checkouts.ReadPlacedAsync(warmUp, ct);
        var before = await ReadAsync(await SendAsync(Naive, CustomerId, ct), ct);

        await using var held = await HeldGrainWrite.StartAsync(topology, Checkouts.Request(CustomerId, Lines, Checkouts.NewKey()), ct);
        var naive = SendAsync(Naive, CustomerId, ct);
        using var optimized = await SendAsync(Optimized, CustomerId, ct).WaitAsync(Patience, ct);

        Assert.Equal(before, await ReadAsync(optimized, ct)); // the order is not in storage yet: the read does not show it
        Assert.False(naive.IsCompleted, "the naive read answered while the grain's write it queues behind was held");
        using var placed = await held.ReleaseAsync(ct);
        using var afterTheWrite = await naive.WaitAsync(Patience, ct);

        await Checkouts.ReadPlacedAsync(placed, ct);
        Assert.Equal(before.OrderCount + 1, (await ReadAsync(afterTheWrite, ct)).OrderCount); // it ran after the write
        Assert.Equal(before.OrderCount + 1, (await ReadAsync(await SendAsync(Optimized, CustomerId, ct), ct)).OrderCount);
        // One grain call each, timed by the silo: the only call on each request's critical path.
        Assert.All(new[] { optimized, afterTheWrite }, read => Assert.Equal((1, 1), (GrainCalls(read), GrainPathCalls(read))));
    }

    [Theory]
    [InlineData(Naive)]
    [InlineData(Optimized)]
    public async Task AnUnknownCustomerIsNotFoundAndABadIdIsAProblemThatCallsNoGrain(string variant)
    {
        var ct = TestContext.Current.CancellationToken;

        using var unknown = await SendAsync(variant, 999_999_975, ct);
        using var bad = await topology.Orders.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/customers/seventy-five").WithVariant(variant, Entry), ct);

        Assert.Equal((HttpStatusCode.NotFound, 1L), (unknown.StatusCode, GrainCalls(unknown)));
        Assert.Equal((HttpStatusCode.BadRequest, 0L), (bad.StatusCode, GrainCalls(bad)));
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
    }

    private Task<HttpResponseMessage> SendAsync(string variant, long customerId, CancellationToken ct) =>
        topology.Orders.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/customers/{customerId}").WithVariant(variant, Entry), ct);

    private static async Task<CustomerView> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        return await response.Content.ReadFromJsonAsync<CustomerView>(Checkouts.Json, ct) ?? throw new InvalidOperationException("Empty body.");
    }

    /// <summary>
    /// A checkout whose credit to the customer's grain is held in grain storage: the grain is inside RecordOrder,
    /// awaiting its state write, until <see cref="ReleaseAsync"/>. Redis holds the write (<c>CLIENT PAUSE … WRITE</c>
    /// postpones every command that writes); the pause begins only once the checkout has made the writes that come
    /// before the grain's — the payment provider's, in Redis too — which the test knows because its next step, the
    /// order's INSERT, is made to wait for a lock on the orders table that the test holds and gives up once Redis is paused.
    /// </summary>
    private sealed class HeldGrainWrite : IAsyncDisposable
    {
        private readonly ConnectionMultiplexer _redis;
        private readonly Task<HttpResponseMessage> _checkout;

        private HeldGrainWrite(ConnectionMultiplexer redis, Task<HttpResponseMessage> checkout) => (_redis, _checkout) = (redis, checkout);

        private IServer Redis => _redis.GetServers()[0];

        public static async Task<HeldGrainWrite> StartAsync(TopologyFixture topology, HttpRequestMessage checkout, CancellationToken ct)
        {
            var options = ConfigurationOptions.Parse(await topology.Run.ConnectionStringAsync("cache", ct) ?? throw new InvalidOperationException("No Redis connection string."));
            options.AllowAdmin = true; // CLIENT PAUSE and CLIENT LIST
            var held = new HeldGrainWrite(await ConnectionMultiplexer.ConnectAsync(options), topology.Orders.SendAsync(checkout, ct));
            try
            {
                await using (var orders = await topology.OpenOrdersDbAsync(ct))
                await using (var lockOrders = await orders.BeginTransactionAsync(ct))
                {
                    await using (var take = new NpgsqlCommand("LOCK TABLE orders IN EXCLUSIVE MODE", orders, lockOrders))
                    {
                        await take.ExecuteNonQueryAsync(ct);
                    }

                    await held.UntilAsync("the checkout's INSERT waits for the orders table", () => InsertWaitsForLockAsync(topology, ct), ct);
                    // Redis first, then the lock (1 minute at most, should the test never release it).
                    await held.Redis.ExecuteAsync("CLIENT", "PAUSE", "60000", "WRITE");
                    await lockOrders.CommitAsync(ct);
                }

                await held.UntilAsync("the grain's state write waits in Redis", held.GrainWriteHeldAsync, ct);
                return held;
            }
            catch
            {
                await held.DisposeAsync();
                throw;
            }
        }

        /// <summary>Lets Redis take the write: the grain finishes RecordOrder, and the checkout answers.</summary>
        public async Task<HttpResponseMessage> ReleaseAsync(CancellationToken ct)
        {
            await Redis.ExecuteAsync("CLIENT", "UNPAUSE");
            return await _checkout.WaitAsync(Patience, ct);
        }

        public async ValueTask DisposeAsync()
        {
            await Redis.ExecuteAsync("CLIENT", "UNPAUSE"); // never leave the topology's Redis paused, whatever failed
            await _redis.DisposeAsync();
        }

        private static async Task<bool> InsertWaitsForLockAsync(TopologyFixture topology, CancellationToken ct) =>
            await topology.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%insert into orders%'", ct) > 0;

        /// <summary>Orleans' Redis grain storage writes with a script; the provider's writes are transactions, the clustering's too.</summary>
        private async Task<bool> GrainWriteHeldAsync() =>
            (await Redis.ClientListAsync()).Any(client => client.Flags.HasFlag(ClientFlags.Blocked) && client.LastCommand is "evalsha" or "eval");

        private async Task UntilAsync(string what, Func<Task<bool>> condition, CancellationToken ct)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (!await condition())
            {
                if (_checkout.IsCompleted || DateTime.UtcNow > deadline)
                {
                    var answer = _checkout.IsCompletedSuccessfully ? $"it answered {(int)_checkout.Result.StatusCode}: {await _checkout.Result.Content.ReadAsStringAsync(ct)}" : $"checkout task {_checkout.Status}";
                    Assert.Fail($"Waited in vain until {what} ({answer}).");
                }

                await Task.Delay(20, ct);
            }
        }
    }
}
