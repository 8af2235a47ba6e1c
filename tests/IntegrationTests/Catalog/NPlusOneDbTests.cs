using System.Net;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.Performance;
using static PerfReference.TestSupport.PerfHeaders;

namespace PerfReference.IntegrationTests.Catalog;

/// <summary>
/// <c>n-plus-one-db</c>: the seed lesson's 200-line order costs a database round trip per line when
/// naive and a fixed handful when optimized — and both variants answer the same.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class NPlusOneDbTests(TopologyFixture topology)
{
    private static readonly string Entry = PerfCatalog.NPlusOneDb.Id;
    private const long CustomerId = 71;

    /// <summary>200 distinct products, as in the seed lesson (the tiny data set has 250).</summary>
    private static readonly (long ProductId, int Quantity)[] TwoHundredLines =
        [.. Enumerable.Range(1, 200).Select(i => ((long)i, i % 3 + 1))];

    [Fact]
    public async Task A200LineCheckoutCostsARoundTripPerLineNaiveAndAFixedFewOptimized()
    {
        var ct = TestContext.Current.CancellationToken;

        using var naive = await topology.Orders.SendAsync(Checkouts.Request(CustomerId, TwoHundredLines).WithVariant(Naive, Entry), ct);
        using var optimized = await topology.Orders.SendAsync(Checkouts.Request(CustomerId, TwoHundredLines).WithVariant(Optimized, Entry), ct);

        var (naiveOrder, optimizedOrder) = (await Checkouts.ReadPlacedAsync(naive, ct), await Checkouts.ReadPlacedAsync(optimized, ct));
        // Naive: 200 product queries, then EF's INSERT batch (every tenth order after a round trip for the next
        // block of ten hi/lo ids) and the inline capture's UPDATE; optimized: one product query, the order with
        // its lines and payment record in one statement that takes its id from the sequence itself, the UPDATE.
        Assert.InRange(DbRoundtrips(naive), 202, 203);
        Assert.Equal(3, DbRoundtrips(optimized));

        // Two orders of the same customer for the same lines: priced alike.
        Assert.Equal(200, optimizedOrder.Lines.Count);
        Assert.Equal(naiveOrder.Lines, optimizedOrder.Lines);
        Assert.Equal((naiveOrder.SubtotalMinor, naiveOrder.DiscountMinor, naiveOrder.TotalMinor),
            (optimizedOrder.SubtotalMinor, optimizedOrder.DiscountMinor, optimizedOrder.TotalMinor));
    }

    [Theory]
    [InlineData("naive")]                      // the capture is taken inline and recorded afterwards
    [InlineData("naive, payment-async=optimized")] // the payment worker captures it later
    public async Task BothVariantsStoreTheSameRows(string payment)
    {
        var ct = TestContext.Current.CancellationToken;

        using var naive = await topology.Orders.SendAsync(Checkout(payment), ct);
        using var optimized = await topology.Orders.SendAsync(Checkout($"{payment}, {Entry}=optimized"), ct);
        var (naiveOrder, optimizedOrder) = (await Checkouts.ReadPlacedAsync(naive, ct), await Checkouts.ReadPlacedAsync(optimized, ct));
        // Paid: captured inline, or by the payment worker once it got to it.
        await OrderBooks.WaitUntilPaidAsync(topology.OrdersDb, [naiveOrder.Id, optimizedOrder.Id], TimeSpan.FromMinutes(1), ct);

        // The optimized write is SQL of its own (one statement for all lines): every column EF writes, it writes too.
        Assert.Equal(await OrderBooks.StoredRowsAsync(topology.OrdersDb, naiveOrder.Id, ct), await OrderBooks.StoredRowsAsync(topology.OrdersDb, optimizedOrder.Id, ct));

        HttpRequestMessage Checkout(string variant)
        {
            var request = Checkouts.Request(CustomerId, TwoHundredLines, Checkouts.NewKey());
            request.Headers.Add("X-Perf-Variant", variant);
            return request;
        }
    }

    [Fact]
    public async Task AFullyOptimized200LineCheckoutCostsTwoRoundTrips()
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = Checkouts.Request(CustomerId, TwoHundredLines, Checkouts.NewKey());
        request.Headers.Add("X-Perf-Variant", Optimized);
        request.Headers.Add("X-Perf-Entry", "seed-checkout");

        using var checkout = await topology.Orders.SendAsync(request, ct);

        // The key's lookup and the product query in one batch, then the order, its 200 lines and its payment
        // record in one statement (the payment is settled by the worker) — the seed checkout as the lab sends it.
        Assert.Equal(HttpStatusCode.Accepted, checkout.StatusCode);
        Assert.Equal(2, DbRoundtrips(checkout));
    }

    [Fact]
    public async Task ReadingA200LineOrderCostsARoundTripPerProductNaiveAndOneOptimized()
    {
        var ct = TestContext.Current.CancellationToken;
        using var placed = await topology.Orders.SendAsync(Checkouts.Request(CustomerId, TwoHundredLines).WithVariant(Optimized, Entry), ct);
        var order = await Checkouts.ReadPlacedAsync(placed, ct);

        using var naive = await topology.Orders.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/orders/{order.Id}").WithVariant(Naive, Entry), ct);
        using var optimized = await topology.Orders.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/orders/{order.Id}").WithVariant(Optimized, Entry), ct);

        Assert.Equal(HttpStatusCode.OK, naive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, optimized.StatusCode);
        // Naive: the order, its lines, 200 products, its payment; optimized: one command with JOINs.
        Assert.Equal((203, 1), (DbRoundtrips(naive), DbRoundtrips(optimized)));
        // The same answer, byte for byte, and the same as the checkout's.
        var naiveBody = await naive.Content.ReadAsStringAsync(ct);
        Assert.Equal(naiveBody, await optimized.Content.ReadAsStringAsync(ct));
        var read = await Checkouts.ReadOrderAsync(optimized, ct);
        Assert.Equal(order.Lines, read.Lines);
        Assert.Equal(order.Payment, read.Payment);
    }

    [Theory]
    [InlineData(Naive)]
    [InlineData(Optimized)]
    public async Task UnknownAndMissingProductsAreRefusedAlikeByBothVariants(string variant)
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await topology.Orders.SendAsync(
            Checkouts.Request(CustomerId, [(1, 1), (999_999_998, 1), (2, 1), (999_999_999, 1)]).WithVariant(variant, Entry), ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("999999998, 999999999", await response.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task AnUnknownOrderIsNotFoundInBothVariants()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var variant in new[] { Naive, Optimized })
        {
            using var response = await topology.Orders.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/orders/999999999").WithVariant(variant, Entry), ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }
}
