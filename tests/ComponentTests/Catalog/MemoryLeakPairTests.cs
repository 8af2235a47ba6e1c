using Microsoft.Extensions.Options;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.OrdersService.Orders;
using PerfReference.OrdersService.Products;
using PerfReference.Performance;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// memory-leak: pages asked for under ever-new query strings. The naive cache keeps one page per
/// key, for ever (but for the lab's safety ceiling); the bounded cache never holds more than its
/// size limit. Both answer the same page. Counted in pages held, never in time or bytes measured.
/// </summary>
public sealed class MemoryLeakPairTests(OrdersDatabaseFixture database)
{
    private static readonly CatalogPageCacheOptions Small = new() { SizeLimit = 5, NaiveSafetyCeiling = int.MaxValue };

    [Fact]
    public async Task TheNaiveCacheKeepsAPagePerKeyAndTheBoundedOneAtMostItsLimit()
    {
        var ct = TestContext.Current.CancellationToken;
        using var bounded = CatalogPageCache.CreateBoundedCache(Small);
        var before = CatalogPageCache.NaivePages;

        for (var i = 0; i < 40; i++)
        {
            var key = $"?page=1&_=leak-test-{i}";
            var naive = await PageAsync(FixedPerfSwitch.AllNaive, bounded, Small, key, ct);
            var optimized = await PageAsync(FixedPerfSwitch.OnlyOptimized(PerfCatalog.MemoryLeak), bounded, Small, key, ct);
            Assert.Equal(naive.Items, optimized.Items);
            Assert.True(bounded.Count <= Small.SizeLimit, $"the bounded cache holds {bounded.Count} pages after {i + 1} keys");
        }

        Assert.Equal(40, CatalogPageCache.NaivePages - before);
    }

    [Fact]
    public async Task ASecondAskForAKeyIsServedFromEitherCacheWithoutGrowingIt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var bounded = CatalogPageCache.CreateBoundedCache(Small);
        await PageAsync(FixedPerfSwitch.AllNaive, bounded, Small, "?page=2&_=again", ct);
        await PageAsync(FixedPerfSwitch.AllOptimized, bounded, Small, "?page=2&_=again", ct);
        var naivePages = CatalogPageCache.NaivePages;

        var (_, naive) = await Measured.RunAsync(() => PageAsync(FixedPerfSwitch.AllNaive, bounded, Small, "?page=2&_=again", ct));
        var (_, optimized) = await Measured.RunAsync(() => PageAsync(FixedPerfSwitch.AllOptimized, bounded, Small, "?page=2&_=again", ct));

        Assert.Equal((0, 0), (naive.DbRoundtrips, optimized.DbRoundtrips));
        Assert.Equal(naivePages, CatalogPageCache.NaivePages);
        Assert.Equal(1, bounded.Count);
    }

    [Fact]
    public async Task TheNaiveLeakStopsAtItsSafetyCeiling()
    {
        var ct = TestContext.Current.CancellationToken;
        using var bounded = CatalogPageCache.CreateBoundedCache(Small);
        var ceiling = new CatalogPageCacheOptions { NaiveSafetyCeiling = CatalogPageCache.NaivePages + 3 };

        for (var i = 0; i < 10; i++)
        {
            await PageAsync(FixedPerfSwitch.AllNaive, bounded, ceiling, $"?page=1&_=ceiling-{i}", ct);
        }

        Assert.Equal(ceiling.NaiveSafetyCeiling, CatalogPageCache.NaivePages);
    }

    private async Task<Page<ProductSummary>> PageAsync(IPerfSwitch perf, Microsoft.Extensions.Caching.Memory.IMemoryCache bounded, CatalogPageCacheOptions options, string key, CancellationToken ct)
    {
        await using var db = database.NewContext();
        return await new CatalogPageCache(new ProductCatalog(db), bounded, Options.Create(options), perf)
            .GetAsync(key, category: null, new PageRequest(1, 100), ct);
    }
}
