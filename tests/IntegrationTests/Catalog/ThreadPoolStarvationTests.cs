using System.Net;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.Performance;
using static PerfReference.TestSupport.PerfHeaders;

namespace PerfReference.IntegrationTests.Catalog;

/// <summary>
/// <c>threadpool-starvation</c>: an order's payment status is one query and one provider call both
/// ways, with the same answer; naive makes both blocking (each holds a thread-pool thread until
/// PostgreSQL or the provider answers), optimized none.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class ThreadPoolStarvationTests(TopologyFixture topology)
{
    private static readonly string Entry = PerfCatalog.ThreadPoolStarvation.Id;

    [Fact]
    public async Task NaiveMakesBothCallsBlockingOptimizedNoneAndBothAnswerTheSame()
    {
        var ct = TestContext.Current.CancellationToken;
        var orderId = await PlaceOrderAsync(ct);

        using var naive = await SendAsync(Naive, orderId, ct);
        using var optimized = await SendAsync(Optimized, orderId, ct);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (naive.StatusCode, optimized.StatusCode));
        Assert.Equal((2, 0), (BlockingCalls(naive), BlockingCalls(optimized)));
        Assert.Equal((1, 1), (DbRoundtrips(naive), DbRoundtrips(optimized)));
        Assert.Equal((1, 1), (long.Parse(Header(naive, "X-Perf-Payment-Calls")), long.Parse(Header(optimized, "X-Perf-Payment-Calls"))));
        var body = await optimized.Content.ReadAsStringAsync(ct);
        Assert.Equal(await naive.Content.ReadAsStringAsync(ct), body);
        Assert.Contains("\"provider\":{\"status\":\"", body);
    }

    [Theory]
    [InlineData("abc", HttpStatusCode.BadRequest)]
    [InlineData("999999999", HttpStatusCode.NotFound)]
    public async Task ABadOrUnknownOrderIdIsAProblemInBothVariants(string orderId, HttpStatusCode expected)
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var variant in new[] { Naive, Optimized })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orders/{orderId}/payment").WithVariant(variant, Entry);
            using var response = await topology.Orders.SendAsync(request, ct);

            Assert.Equal(expected, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string variant, long orderId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orders/{orderId}/payment").WithVariant(variant, Entry);
        return await topology.Orders.SendAsync(request, ct);
    }

    /// <summary>
    /// An order whose payment the provider has authorised and captured before the checkout answered (everything naive:
    /// the capture inline), so that nothing changes it between the two reads: an order left to the payment worker can
    /// be captured between them, and the two answers differ by its status.
    /// </summary>
    private async Task<long> PlaceOrderAsync(CancellationToken ct)
    {
        using var checkout = Checkouts.Request(1, [(1, 1)], Checkouts.NewKey());
        checkout.Headers.Add("X-Perf-Variant", "naive");
        using var placed = await topology.Orders.SendAsync(checkout, ct);
        return (await Checkouts.ReadPlacedAsync(placed, ct)).Id;
    }
}
