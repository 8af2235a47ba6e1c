using System.Net;
using System.Net.Http.Json;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.Performance;
using static PerfReference.TestSupport.PerfHeaders;

namespace PerfReference.IntegrationTests.Catalog;

/// <summary>
/// cache-warming: after a deploy (simulated by /api/diagnostics/cold-start: product cache emptied,
/// idle grains deactivated) the naive service serves its first requests from cold caches; the
/// optimized one warms the warm set first, so every product of the warm set is a hit.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class CacheWarmingTests(TopologyFixture topology)
{
    private static readonly string Entry = PerfCatalog.CacheWarming.Id;

    [Fact]
    public async Task AfterAColdStartTheFirstReadOfAProductMissesAndCostsTheDatabaseThenItHits()
    {
        var ct = TestContext.Current.CancellationToken;
        var report = await ColdStartAsync("naive", ct);
        Assert.False(report.Warmed);

        using var first = await GetProductAsync(7, ct);
        using var second = await GetProductAsync(7, ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((0, 1), CacheLookups(first));
        Assert.Equal("1", Header(first, "X-Perf-Db-Roundtrips"));
        Assert.Equal("2", Header(first, "X-Perf-Redis-Ops"));    // the read that missed, the write
        Assert.Equal((1, 0), CacheLookups(second));
        Assert.Equal("0", Header(second, "X-Perf-Db-Roundtrips"));
        Assert.Equal("1", Header(second, "X-Perf-Redis-Ops"));
        Assert.Equal(await first.Content.ReadAsStringAsync(ct), await second.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task AWarmedColdStartServesEveryProductOfTheWarmSetFromTheCache()
    {
        var ct = TestContext.Current.CancellationToken;
        var report = await ColdStartAsync("naive, cache-warming=optimized", ct);
        Assert.True(report.Warmed);

        // The warm set, computed here independently: the best sellers that are for sale (at most 500).
        var warmSet = await topology.ListAsync("""
            SELECT l.product_id FROM order_lines l JOIN products p ON p.id = l.product_id
            WHERE p.is_active GROUP BY l.product_id ORDER BY count(*) DESC, l.product_id LIMIT 500
            """, ct);
        Assert.NotEmpty(warmSet);
        Assert.Equal(warmSet.Count, report.WarmUp!.Products);

        var hits = 0;
        foreach (var productId in warmSet)
        {
            using var response = await GetProductAsync(productId, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("0", Header(response, "X-Perf-Db-Roundtrips"));
            hits += CacheLookups(response).Hits;
        }

        Assert.Equal(warmSet.Count, hits); // a 100 % hit ratio on the warm set
    }

    [Fact]
    public async Task AnUnknownOrInvalidProductIsAProblemNotACacheEntry()
    {
        var ct = TestContext.Current.CancellationToken;

        using var unknown = await GetProductAsync(987_654_321, ct);
        using var invalid = await topology.Orders.GetAsync("/api/products/abc", ct);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(0, await topology.RedisServer.KeysAsync(pattern: "orders:product:v1:987654321").CountAsync(ct));
    }

    private async Task<ColdStartReport> ColdStartAsync(string variant, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/diagnostics/cold-start");
        request.Headers.Add("X-Perf-Variant", variant);
        request.Headers.Add("X-Perf-Entry", Entry);
        using var response = await topology.Orders.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ColdStartReport>(ct))!;
    }

    private async Task<HttpResponseMessage> GetProductAsync(long productId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/products/{productId}");
        request.Headers.Add("X-Perf-Entry", Entry);
        return await topology.Orders.SendAsync(request, ct);
    }

    private static (int Hits, int Misses) CacheLookups(HttpResponseMessage response) =>
        (int.Parse(Header(response, "X-Perf-Cache-Hits")), int.Parse(Header(response, "X-Perf-Cache-Misses")));

    private sealed record WarmUpReport(int Products, int Customers, double ElapsedMs);

    private sealed record ColdStartReport(long RemovedCacheKeys, bool Warmed, WarmUpReport? WarmUp);
}
