using System.Net;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.Performance;
using static PerfReference.TestSupport.PerfHeaders;

namespace PerfReference.IntegrationTests.Measurement;

/// <summary>The per-request counters are exact: known requests yield known numbers of round trips and calls.</summary>
[Collection(TopologyCollection.Name)]
public sealed class PerfCountersTests(TopologyFixture topology)
{
    [Fact]
    public async Task ReadingAnOrderCountsOneRoundTripPerQueryOfTheNaiveCode()
    {
        var ct = TestContext.Current.CancellationToken;
        using var placed = await topology.Orders.SendAsync(Checkouts.Request(41, [(2, 1), (3, 1), (4, 1)]), ct);
        var order = await Checkouts.ReadOrderAsync(placed, ct);

        using var read = await topology.Orders.GetAsync($"/api/orders/{order.Id}", ct);

        // The order, its lines, one query per product (three), its payment.
        Assert.Equal("6", Header(read, "X-Perf-Db-Roundtrips"));
        Assert.Equal("0", Header(read, "X-Perf-Grain-Calls"));
        Assert.Equal("0", Header(read, "X-Perf-Payment-Calls"));
        var timing = Header(read, "Server-Timing");
        Assert.Contains("desc=\"6 round trips\"", timing);
        // The time of those round trips is part of the request's own, and nothing waited on grains or payments.
        var durations = ServerTiming.Durations(timing);
        Assert.InRange(durations[ServerTiming.Database], 0.1, durations[ServerTiming.App]);
        Assert.Equal(0, durations[ServerTiming.Grains]);
        Assert.Equal(0, durations[ServerTiming.Payments]);
    }

    [Fact]
    public async Task ACheckoutCostsOneRoundTripPerLineTwoGrainCallsAndTwoPaymentCalls()
    {
        var ct = TestContext.Current.CancellationToken;

        using var small = await topology.Orders.SendAsync(Checkouts.Request(42, [(1, 1), (2, 1)]), ct);
        using var large = await topology.Orders.SendAsync(Checkouts.Request(43, [(1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1)]), ct);

        Assert.Equal(HttpStatusCode.Created, small.StatusCode);
        Assert.Equal(HttpStatusCode.Created, large.StatusCode);
        // Five more lines, five more round trips: the N+1 of the naive pricing. (Either checkout may also
        // fetch the next block of ten order ids from the hi/lo sequence: one round trip, one way or the other.)
        Assert.InRange(long.Parse(Header(large, "X-Perf-Db-Roundtrips")) - long.Parse(Header(small, "X-Perf-Db-Roundtrips")), 4, 6);
        Assert.Equal("2", Header(small, "X-Perf-Grain-Calls"));      // read the customer, record the order
        Assert.Equal("2", Header(small, "X-Perf-Payment-Calls"));    // authorise, capture

        // Each of the two blocking calls waits out the provider's latency, on the request's time.
        var durations = ServerTiming.Durations(Header(small, "Server-Timing"));
        var providerLatency = TopologyFixture.DefaultPaymentsBehaviour.LatencyMs;
        Assert.InRange(durations[ServerTiming.Payments], 2 * providerLatency, durations[ServerTiming.App]);
        Assert.InRange(durations[ServerTiming.Grains], 0.01, durations[ServerTiming.App]);
    }

    [Fact]
    public async Task TheVariantChoiceIsEchoedWithItsOverrides()
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products?pageSize=1");
        request.Headers.Add("X-Perf-Variant", "optimized, n-plus-one-db=naive");
        request.Headers.Add("X-Perf-Entry", "n-plus-one-db");

        using var response = await topology.Orders.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("optimized, n-plus-one-db=naive", Header(response, "X-Perf-Variant"));
    }

    [Fact]
    public async Task TheBareEndpointAnswersThroughTheWholePipelineWithoutTouchingADependency()
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/diagnostics/bare");
        request.Headers.Add("X-Perf-Variant", "optimized"); // as the lab's ceiling sends it
        request.Headers.Add("X-Perf-Entry", "ceiling");

        using var response = await topology.Orders.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"ok":true}""", await response.Content.ReadAsStringAsync(ct));
        Assert.Equal("optimized", Header(response, "X-Perf-Variant")); // the perf switch ran, as for every API request
        foreach (var counter in new[] { "X-Perf-Db-Roundtrips", "X-Perf-Grain-Calls", "X-Perf-Payment-Calls", "X-Perf-Redis-Ops" })
        {
            Assert.Equal("0", Header(response, counter));
        }
    }

    [Theory]
    [InlineData("X-Perf-Variant", "fastest", "not a variant")]
    [InlineData("X-Perf-Variant", "naive, no-such-entry=optimized", "not a catalog entry")]
    [InlineData("X-Perf-Variant", "naive, optimized", "default variant twice")]
    [InlineData("X-Perf-Variant", "n-plus-one-db=optimized, n-plus-one-db=naive", "overridden twice")]
    [InlineData("X-Perf-Entry", "no-such-entry", "not a catalog entry")]
    public async Task AVariantChoiceThatCannotBeHonouredIsA400Problem(string header, string value, string reason)
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products");
        request.Headers.Add(header, value);

        using var response = await topology.Orders.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(ct));
    }
}
