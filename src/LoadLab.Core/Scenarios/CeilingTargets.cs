using System.Globalization;
using PerfReference.LoadLab.Results;
using PerfReference.Performance;

namespace PerfReference.LoadLab.Scenarios;

/// <summary>One of the two things the ceiling loads: its label, the request in words, how request number <c>i</c> is made, and the variant it is sent as.</summary>
public sealed record CeilingTarget(Variant Variant, string Request, RequestFactory CreateRequest)
{
    public string Label => Variant.Label;
}

/// <summary>Both targets, prepared, and one line on what the setup made (recorded in the result).</summary>
public sealed record PreparedCeiling(CeilingTarget Bare, CeilingTarget CachedRead, string Setup)
{
    public IReadOnlyList<CeilingTarget> Targets => [Bare, CachedRead];
}

/// <summary>
/// What the ceiling compares: the bare endpoint (a constant answer, no dependency) and the optimized cached read of the
/// <c>cache-warming</c> entry — <c>GET /api/products/{id}</c> of products that are in Redis, everything optimized, as a
/// warmed deploy serves it. Both are sent with the same <c>X-Perf-Variant</c>, so the middleware does the same work for
/// both, and labelled <c>X-Perf-Entry: ceiling</c>.
/// </summary>
public static class CeilingTargets
{
    /// <summary>Everything optimized: the read as a system with every fix serves it.</summary>
    public static readonly string VariantHeader = Variant.Optimized.Header;

    /// <summary>The products the cached read cycles through: enough that it is not one hot key, few enough to be warm for sure.</summary>
    public const int CachedProducts = 100;

    public static Variant BareVariant { get; } = new(CeilingPoint.Bare, VariantHeader);

    public static Variant CachedReadVariant { get; } = new(CeilingPoint.CachedRead, VariantHeader);

    /// <summary>
    /// Checks the bare endpoint answers without touching a dependency, and puts the products in the cache: each is read
    /// once (a miss loads it into Redis), then once more, which must be a hit that costs PostgreSQL nothing.
    /// </summary>
    public static async Task<PreparedCeiling> PrepareAsync(HttpClient http, CancellationToken ct)
    {
        using (var bare = await SendAsync(http, "api/diagnostics/bare", ct))
        {
            await ScenarioSetups.EnsureSuccessAsync(bare, "reading the bare endpoint (is OrdersService built from this commit?)", ct);
            RequireHeader(bare, PerfCounter.DbRoundtrips.Header, "0", "the bare endpoint");
        }

        var products = await ScenarioSetups.ProductIdsAsync(http, CachedProducts, ct);
        foreach (var product in products)
        {
            using var load = await SendAsync(http, ProductPath(product), ct);
            await ScenarioSetups.EnsureSuccessAsync(load, $"reading product {product} into the cache", ct);
        }

        foreach (var product in products)
        {
            using var read = await SendAsync(http, ProductPath(product), ct);
            await ScenarioSetups.EnsureSuccessAsync(read, $"reading product {product} from the cache", ct);
            RequireHeader(read, PerfCounter.CacheHits.Header, "1", $"product {product}, read a second time,");
            RequireHeader(read, PerfCounter.DbRoundtrips.Header, "0", $"product {product}, read a second time,");
        }

        return new PreparedCeiling(
            new CeilingTarget(BareVariant, "GET /api/diagnostics/bare", _ => new HttpRequestMessage(HttpMethod.Get, "api/diagnostics/bare")),
            new CeilingTarget(CachedReadVariant, "GET /api/products/{id}, a product in the cache",
                i => new HttpRequestMessage(HttpMethod.Get, ProductPath(products[(int)(i % products.Count)]))),
            $"the bare endpoint, and products {products[0]}..{products[^1]} ({products.Count}) read through the cache, each a hit " +
            $"before the load (checked); both sent as X-Perf-Variant: {VariantHeader}");
    }

    private static string ProductPath(long product) => string.Create(CultureInfo.InvariantCulture, $"api/products/{product}");

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(PerfSelection.HeaderName, VariantHeader);
        request.Headers.Add(PerfTags.EntryHeader, PerfCatalog.CeilingScenario);
        return await http.SendAsync(request, ct);
    }

    private static void RequireHeader(HttpResponseMessage response, string header, string expected, string what)
    {
        var actual = response.Headers.TryGetValues(header, out var values) ? values.FirstOrDefault() : null;
        if (actual != expected)
        {
            throw new ScenarioSetupException($"Setup failed: {what} answered {header}: {actual ?? "(none)"}, not {expected}: the ceiling would not measure what it says.");
        }
    }
}
