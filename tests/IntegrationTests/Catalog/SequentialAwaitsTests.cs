using System.Net;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.Performance;
using static PerfReference.TestSupport.PerfHeaders;

namespace PerfReference.IntegrationTests.Catalog;

/// <summary>
/// <c>sequential-awaits</c> on the real topology, as the lab measures it (everything else optimized): both
/// variants make the same queries and one grain call, store the same rows, and answer a retried checkout
/// with its stored order. Naive sends the key's lookup and the product query one after the other; optimized
/// sends them as one batch, one round trip fewer. When the grain call is made, the pair's own test
/// (<c>SequentialAwaitsPairTests</c>) pins.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class SequentialAwaitsTests(TopologyFixture topology)
{
    private static readonly string Entry = PerfCatalog.SequentialAwaits.Id;
    private const long CustomerId = 73;
    private static readonly (long ProductId, int Quantity)[] Lines = [(11, 1), (12, 2), (13, 3)];

    [Fact]
    public async Task BothVariantsMakeTheSameCallsStoreTheSameRowsAndReplayARetry()
    {
        var ct = TestContext.Current.CancellationToken;
        var naive = await CheckoutTwiceAsync($"{Optimized}, {Entry}={Naive}", ct);
        var optimized = await CheckoutTwiceAsync(Optimized, ct);

        // The key's lookup and the product query (in turn, or as one batch), then the order's one INSERT statement; the
        // customer's profile. The payment is deferred: the worker authorises and captures it.
        Assert.Equal((3, 2), (naive.DbRoundtrips, optimized.DbRoundtrips));
        Assert.Equal((1, 1), (naive.GrainCalls, optimized.GrainCalls));
        await OrderBooks.WaitUntilPaidAsync(topology.OrdersDb, [naive.Order.Id, optimized.Order.Id], TimeSpan.FromMinutes(1), ct);
        Assert.Equal(await OrderBooks.StoredRowsAsync(topology.OrdersDb, naive.Order.Id, ct), await OrderBooks.StoredRowsAsync(topology.OrdersDb, optimized.Order.Id, ct));
    }

    /// <summary>A checkout, then the same checkout again with its key: the second must replay the first.</summary>
    private async Task<(OrderView Order, long DbRoundtrips, long GrainCalls)> CheckoutTwiceAsync(string variant, CancellationToken ct)
    {
        var key = Checkouts.NewKey();
        using var taken = await topology.Orders.SendAsync(Checkout(), ct);
        using var retried = await topology.Orders.SendAsync(Checkout(), ct);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.OK), (taken.StatusCode, retried.StatusCode));
        Assert.Equal("true", Header(retried, "Idempotent-Replayed"));
        var order = await Checkouts.ReadOrderAsync(taken, ct);
        Assert.Equal(order.Id, (await Checkouts.ReadOrderAsync(retried, ct)).Id);
        return (order, DbRoundtrips(taken), GrainCalls(taken));

        HttpRequestMessage Checkout()
        {
            var request = Checkouts.Request(CustomerId, Lines, key);
            request.Headers.Add("X-Perf-Variant", variant);
            request.Headers.Add("X-Perf-Entry", Entry);
            return request;
        }
    }
}
