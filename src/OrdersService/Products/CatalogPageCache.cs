using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using PerfReference.OrdersService.Orders;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Products;

public sealed class CatalogPageCacheOptions
{
    public const string SectionName = "PerfReference:CatalogPages";

    /// <summary>The bounded cache's capacity, in pages (each page counts 1).</summary>
    public int SizeLimit { get; set; } = 1_000;

    /// <summary>How long the bounded cache keeps a page: a price change shows within this time.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Where the naive cache stops adding (a real leak has no such line): about 20 KB a page of
    /// 100 products, so some 400 MB — enough for the lab to see it grow for minutes, never enough to
    /// take a shared machine down.
    /// </summary>
    public int NaiveSafetyCeiling { get; set; } = 20_000;
}

/// <summary>
/// Catalog pages kept in the process, keyed by the request's query string — for the catalog entry
/// <c>memory-leak</c>. A storefront asks for the same pages again and again, so caching them looks
/// free; but the key space is unbounded (any query string: a search word, a page number, the
/// cache-buster <c>_=&lt;timestamp&gt;</c> that browser clients append), and the naive cache — a static
/// dictionary — keeps every page it ever built, for the life of the process: the working set and
/// the gen-2 heap grow with every new key. Optimized: the same pages in a <see cref="MemoryCache"/>
/// with a size limit and an expiry, so the cache holds at most <see cref="CatalogPageCacheOptions.SizeLimit"/> pages.
/// </summary>
public sealed class CatalogPageCache(
    ProductCatalog catalog,
    [FromKeyedServices(CatalogPageCache.BoundedCacheKey)] IMemoryCache bounded,
    IOptions<CatalogPageCacheOptions> options,
    IPerfSwitch perf)
{
    public const string BoundedCacheKey = "catalog-pages";

    /// <summary>The naive cache: static, unbounded (but for the lab's safety ceiling), never expires.</summary>
    private static readonly ConcurrentDictionary<string, Page<ProductSummary>> Everything = new(StringComparer.Ordinal);

    /// <summary>Pages the naive cache holds now (what a heap dump would find under this type's static field).</summary>
    public static int NaivePages => Everything.Count;

    public Task<Page<ProductSummary>> GetAsync(string queryString, string? category, PageRequest page, CancellationToken ct) =>
        perf.IsOptimized(PerfCatalog.MemoryLeak)
            ? GetBoundedAsync(queryString, category, page, ct)
            : GetForeverAsync(queryString, category, page, ct);

    private async Task<Page<ProductSummary>> GetForeverAsync(string key, string? category, PageRequest page, CancellationToken ct)
    {
        if (Everything.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var built = await catalog.ListAsync(category, search: null, page, ct);
        if (Everything.Count < options.Value.NaiveSafetyCeiling)
        {
            Everything.TryAdd(key, built);
        }

        return built;
    }

    private async Task<Page<ProductSummary>> GetBoundedAsync(string key, string? category, PageRequest page, CancellationToken ct)
    {
        if (bounded.TryGetValue(key, out Page<ProductSummary>? cached) && cached is not null)
        {
            return cached;
        }

        var built = await catalog.ListAsync(category, search: null, page, ct);
        // Size 1 per page: past the limit the cache refuses the entry and compacts (oldest, least used first).
        bounded.Set(key, built, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = options.Value.TimeToLive });
        return built;
    }

    /// <summary>The bounded cache, as registered: its size limit from the options.</summary>
    public static MemoryCache CreateBoundedCache(CatalogPageCacheOptions options) =>
        new(new MemoryCacheOptions { SizeLimit = options.SizeLimit, TrackStatistics = true });
}
