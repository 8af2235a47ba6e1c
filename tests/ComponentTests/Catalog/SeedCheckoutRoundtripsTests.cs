using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.CustomerGrains;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersService.Checkout;
using PerfReference.OrdersService.Orders;
using PerfReference.OrdersService.Payments;
using PerfReference.Performance;
using Polly;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// The seed checkout (a 200-line order) as a whole, against a real PostgreSQL, counted as the lab counts it: the
/// database round trips each selection of variants sends. Everything optimized, a checkout is two round trips
/// whatever its size and however many came before it — the key's lookup and the product query in one batch, then
/// the order, its lines and its payment record in one statement — and keeps every answer the slower shapes give:
/// the replay of a stored key, the refusal of a reused one, the list of products not for sale (nothing stored).
/// </summary>
public sealed class SeedCheckoutRoundtripsTests(OrdersDatabaseFixture database)
{
    private const int Lines = 200;
    private static readonly CustomerProfile Customer = new(1, "Customer 1", "customer1@example.com", CustomerTier.Silver, 0, null, 0);
    private readonly FakePaymentProvider _provider = new();

    [Fact]
    public async Task EverythingOptimizedACheckoutIsTwoRoundTripsEveryTime()
    {
        var ct = TestContext.Current.CancellationToken;
        var lines = await OrderOfAsync(ct);
        await CheckoutAsync(FixedPerfSwitch.AllOptimized, lines, NewKey(), ct); // the first builds EF's model and loads the connection's types

        // Eleven in a row: more than a block of hi/lo ids, and never a round trip for the next block.
        var checkouts = new List<(CheckoutResult Result, PerfCounters Counters)>();
        for (var i = 0; i < 11; i++)
        {
            checkouts.Add(await CheckoutAsync(FixedPerfSwitch.AllOptimized, lines, NewKey(), ct));
        }

        Assert.All(checkouts, checkout =>
        {
            var accepted = Assert.IsType<CheckoutResult.Accepted>(checkout.Result); // the payment is deferred to the worker
            Assert.Equal(Lines, accepted.Order.Lines.Count);
            Assert.Equal(2, checkout.Counters.DbRoundtrips);
            Assert.Equal(0, checkout.Counters.PaymentCalls);
        });
        // Without a key there is nothing to look up: the product query alone, then the write.
        Assert.Equal(2, (await CheckoutAsync(FixedPerfSwitch.AllOptimized, lines, idempotencyKey: null, ct)).Counters.DbRoundtrips);
    }

    [Fact]
    public async Task EverythingNaiveTheSameCheckoutIsARoundTripPerLine()
    {
        var ct = TestContext.Current.CancellationToken;
        var lines = await OrderOfAsync(ct);

        var (result, counters) = await CheckoutAsync(FixedPerfSwitch.AllNaive, lines, NewKey(), ct);

        // The key's lookup, a query per product, EF's batch (and every tenth order the next block of ids), the capture's UPDATE.
        Assert.IsType<CheckoutResult.Placed>(result);
        Assert.InRange(counters.DbRoundtrips, Lines + 3, Lines + 4);
        Assert.Equal(["Authorize (blocking)", "Capture (blocking)"], _provider.Calls);
    }

    [Fact]
    public async Task OptimizedARetryReplaysTheStoredOrderAndAReusedKeyIsRefusedWithNothingWritten()
    {
        var ct = TestContext.Current.CancellationToken;
        var lines = await OrderOfAsync(ct);
        var key = NewKey();
        var (placed, _) = await CheckoutAsync(FixedPerfSwitch.AllOptimized, lines, key, ct);
        var orders = await CountOrdersAsync(ct);

        var (retried, retryCounters) = await CheckoutAsync(FixedPerfSwitch.AllOptimized, [.. lines.Reverse()], key, ct);
        var (reused, reusedCounters) = await CheckoutAsync(FixedPerfSwitch.AllOptimized, lines[..10], key, ct);

        // The replay: the batch finds the key, then the stored order is read (one command). The reused key: the batch only.
        var replayed = Assert.IsType<CheckoutResult.Replayed>(retried);
        Assert.Equal(JsonSerializer.Serialize(Assert.IsType<CheckoutResult.Accepted>(placed).Order), JsonSerializer.Serialize(replayed.Order));
        Assert.Equal(2, retryCounters.DbRoundtrips);
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, Assert.IsType<CheckoutResult.Refused>(reused).StatusCode);
        Assert.Equal(1, reusedCounters.DbRoundtrips);
        Assert.Equal(orders, await CountOrdersAsync(ct));
    }

    /// <summary>
    /// Checkouts with one key at once: each may find the key in its batch (a replay) or race to the write, where the
    /// unique key lets one order in and the others fail and replay it. Either way: one order, and every answer is it.
    /// </summary>
    [Fact]
    public async Task OptimizedConcurrentCheckoutsWithOneKeyStoreOneOrderAndAnswerWithIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var lines = await OrderOfAsync(ct);
        var key = NewKey();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => CheckoutAsync(FixedPerfSwitch.AllOptimized, lines, key, ct), ct)));

        var accepted = Assert.Single(results, r => r.Result is CheckoutResult.Accepted).Result;
        var orderId = ((CheckoutResult.Accepted)accepted).Order.Id;
        Assert.All(results.Select(r => r.Result).Where(r => r != accepted), r => Assert.Equal(orderId, Assert.IsType<CheckoutResult.Replayed>(r).Order.Id));
        await using var db = database.NewContext();
        Assert.Equal(1, await db.Orders.CountAsync(o => o.IdempotencyKey == key, ct));
    }

    [Fact]
    public async Task OptimizedAProductNotForSaleIsListedInOneRoundTripAndNothingIsWritten()
    {
        var ct = TestContext.Current.CancellationToken;
        var lines = await OrderOfAsync(ct);
        var orders = await CountOrdersAsync(ct);

        var (result, counters) = await CheckoutAsync(FixedPerfSwitch.AllOptimized, [.. lines, (999_999_999, 1)], NewKey(), ct);

        var refused = Assert.IsType<CheckoutResult.Refused>(result);
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, refused.StatusCode);
        Assert.Contains("999999999", refused.Detail);
        Assert.Equal(1, counters.DbRoundtrips);
        Assert.Equal(orders, await CountOrdersAsync(ct));
    }

    /// <summary>A checkout as the service runs it (one scope: one context), the customer's grain and the provider faked.</summary>
    private async Task<(CheckoutResult Result, PerfCounters Counters)> CheckoutAsync(
        IPerfSwitch perf, (long ProductId, int Quantity)[] lines, string? idempotencyKey, CancellationToken ct) =>
        await Measured.RunAsync(async () =>
        {
            await using var db = database.NewContext();
            var grains = Grains();
            var orders = new OrderReader(db, perf);
            var reads = new CheckoutReads(db, grains, new OrderLinePricer(db, perf), new CheckoutLookup(db), orders, perf);
            var writer = new OrderWriter(db, perf);
            var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
            var gateway = new PaymentGateway(_provider.Client, ResiliencePipeline.Empty, new PaymentCircuit(meters), Options.Create(new PaymentGatewayOptions()), TimeProvider.System);
            var payment = new CheckoutPayment(gateway, writer, perf, Options.Create(new PaymentWorkerOptions()), TimeProvider.System, NullLogger<CheckoutPayment>.Instance);
            var checkout = new CheckoutService(reads, grains, payment, writer, TimeProvider.System, NullLogger<CheckoutService>.Instance);
            return await checkout.CheckoutAsync(Customer.CustomerId, lines, idempotencyKey, ct);
        });

    private static IGrainFactory Grains()
    {
        var grain = Substitute.For<ICustomerGrain>();
        grain.GetProfileAsync().Returns(Customer);
        grain.RecordOrderAsync(Arg.Any<OrderPlaced>()).Returns(Customer);
        var grains = Substitute.For<IGrainFactory>();
        grains.GetGrain<ICustomerGrain>(Arg.Any<long>(), Arg.Any<string?>()).Returns(grain);
        return grains;
    }

    private static string NewKey() => $"component-{Guid.NewGuid():N}";

    /// <summary>The seed's order: 200 products for sale, quantities 1..3.</summary>
    private async Task<(long ProductId, int Quantity)[]> OrderOfAsync(CancellationToken ct)
    {
        await using var db = database.NewContext();
        var ids = await db.Products.Where(p => p.IsActive).OrderBy(p => p.Id).Select(p => p.Id).Take(Lines).ToListAsync(ct);
        Assert.Equal(Lines, ids.Count);
        return [.. ids.Select((id, i) => (id, 1 + i % 3))];
    }

    private async Task<long> CountOrdersAsync(CancellationToken ct)
    {
        await using var db = database.NewContext();
        return await db.Orders.LongCountAsync(ct);
    }
}
