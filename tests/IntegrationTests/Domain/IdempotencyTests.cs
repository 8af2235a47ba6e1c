using System.Net;
using PerfReference.IntegrationTests.Infrastructure;

namespace PerfReference.IntegrationTests.Domain;

[Collection(TopologyCollection.Name)]
public sealed class IdempotencyTests(TopologyFixture topology)
{
    [Fact]
    public async Task ARetriedCheckoutReturnsTheFirstOrderAndChargesOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var key = Checkouts.NewKey();

        var first = await topology.Orders.SendAsync(Checkouts.Request(21, [(1, 1), (2, 2)], key), ct);
        var retry = await topology.Orders.SendAsync(Checkouts.Request(21, [(2, 2), (1, 1)], key), ct); // same request, lines reordered

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        var firstOrder = await Checkouts.ReadOrderAsync(first, ct);
        var retriedOrder = await Checkouts.ReadOrderAsync(retry, ct);
        Assert.Equal(firstOrder.Id, retriedOrder.Id);
        Assert.Equal(firstOrder.Payment, retriedOrder.Payment);
        await AssertOneOrderAndOneChargeAsync(key, ct);
    }

    [Fact]
    public async Task ConcurrentCheckoutsWithOneKeyPlaceOneOrderAndChargeOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var key = Checkouts.NewKey();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            topology.Orders.SendAsync(Checkouts.Request(22, [(4, 1), (8, 3)], key), ct)));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{r.StatusCode}"));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var orders = await Task.WhenAll(responses.Select(r => Checkouts.ReadOrderAsync(r, ct)));
        Assert.Single(orders.Select(o => o.Id).Distinct());
        Assert.Single(orders.Select(o => o.Payment!.ProviderPaymentId).Distinct());
        await AssertOneOrderAndOneChargeAsync(key, ct);
    }

    /// <summary>
    /// Everything optimized, the key's lookup rides in one batch with the product query and the order is one statement:
    /// a retry still finds the key before anything is written, and concurrent duplicates still meet the unique key.
    /// </summary>
    [Fact]
    public async Task EverythingOptimizedConcurrentCheckoutsWithOneKeyPlaceOneOrderAndChargeOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var key = Checkouts.NewKey();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
        {
            var request = Checkouts.Request(25, [(4, 1), (8, 3)], key);
            request.Headers.Add("X-Perf-Variant", "optimized");
            return topology.Orders.SendAsync(request, ct);
        }));

        // Taken with its payment pending (202): the payment worker authorises and captures it.
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"{r.StatusCode}"));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        var orders = await Task.WhenAll(responses.Select(r => Checkouts.ReadOrderAsync(r, ct)));
        Assert.Single(orders.Select(o => o.Id).Distinct());
        await OrderBooks.WaitUntilPaidAsync(topology.OrdersDb, [orders[0].Id], TimeSpan.FromMinutes(1), ct);
        await AssertOneOrderAndOneChargeAsync(key, ct);
    }

    [Fact]
    public async Task TheSameKeyWithAnotherRequestIsRefusedAndChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var key = Checkouts.NewKey();
        var first = await topology.Orders.SendAsync(Checkouts.Request(23, [(1, 1)], key), ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        var other = await topology.Orders.SendAsync(Checkouts.Request(23, [(1, 5)], key), ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        await AssertOneOrderAndOneChargeAsync(key, ct);
    }

    /// <summary>
    /// Validation and storage agree on the key's length: a key of 125 or 128 characters — the
    /// longest the API accepts — places its order and replays it in both payment modes (the
    /// provider sees a hash of it, which fits its own limit and the payment record's column).
    /// </summary>
    [Theory]
    [InlineData(125, "naive")]
    [InlineData(128, "naive")]
    [InlineData(125, "naive, payment-async=optimized")]
    [InlineData(128, "naive, payment-async=optimized")]
    public async Task TheLongestKeysTheApiAcceptsPlaceAnOrderInEitherPaymentMode(int length, string variant)
    {
        var ct = TestContext.Current.CancellationToken;
        var key = $"long-{Guid.NewGuid():N}".PadRight(length, 'k');

        using var first = await topology.Orders.SendAsync(WithVariant(Checkouts.Request(24, [(3, 1)], key), variant), ct);
        using var retry = await topology.Orders.SendAsync(WithVariant(Checkouts.Request(24, [(3, 1)], key), variant), ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        // Captured inline (naive) or by the payment worker (optimized): wait for it, then count the charges.
        await OrderBooks.WaitUntilPaidAsync(topology.OrdersDb, [(await Checkouts.ReadOrderAsync(first, ct)).Id], TimeSpan.FromMinutes(1), ct);
        await AssertOneOrderAndOneChargeAsync(key, ct);

        static HttpRequestMessage WithVariant(HttpRequestMessage request, string variant)
        {
            request.Headers.Add("X-Perf-Variant", variant);
            return request;
        }
    }

    [Fact]
    public async Task AKeyLongerThanTheApiAcceptsIsABadRequestNeverAServerError()
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await topology.Orders.SendAsync(Checkouts.Request(24, [(3, 1)], new string('k', 129)), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task AssertOneOrderAndOneChargeAsync(string key, CancellationToken ct)
    {
        Assert.Equal(1, await topology.ScalarAsync("SELECT count(*) FROM orders WHERE idempotency_key = $1", ct, key));
        Assert.Equal(1, await topology.ScalarAsync("SELECT count(*) FROM payments WHERE idempotency_key = $1", ct, Checkouts.PaymentKeyOf(key)));
        // The provider recorded one authorisation and one capture for the key, never a second payment.
        Assert.True(await topology.Redis.KeyExistsAsync($"payments:idempotency:authorize:{Checkouts.PaymentKeyOf(key)}"));
        var providerPayments = 0;
        await foreach (var _ in topology.RedisServer.KeysAsync(pattern: $"payments:idempotency:capture:{Checkouts.PaymentKeyOf(key)}:capture"))
        {
            providerPayments++;
        }

        Assert.Equal(1, providerPayments);
    }
}
