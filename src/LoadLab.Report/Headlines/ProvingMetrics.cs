using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// Each entry's proving metric, declared once, by catalog id: what its headline quotes — in the README, the log's index,
/// its page and the dashboard. A new entry adds one line. An entry that proves itself under load is quoted by that load's
/// figure (capacity, throughput at N in flight, heap slope), never by a latency ratio taken at a low rate.
/// </summary>
public static class ProvingMetrics
{
    /// <summary>The seed's service level: a checkout of P99 seconds brought under this.</summary>
    public const double SeedSloMs = 500;

    public static IReadOnlyDictionary<string, ProvingMetric> ByEntry { get; } = new Dictionary<string, ProvingMetric>(StringComparer.Ordinal)
    {
        [CatalogIds.SeedCheckout] = ProvingMetric.P99(),
        [CatalogIds.NPlusOneDb] = ProvingMetric.P99(),
        [CatalogIds.NPlusOneGrains] = ProvingMetric.P99(),
        [CatalogIds.PaymentAsync] = ProvingMetric.P99(),
        [CatalogIds.PaymentDeferred] = ProvingMetric.P99(),
        [CatalogIds.Serialization] = ProvingMetric.P99(),
        // Where bandwidth decides: a phone's link in front of the seed datacenter.
        [CatalogIds.Compression] = ProvingMetric.P99(clientProfile: NetworkProfile.Mobile.Name),
        [CatalogIds.CacheWarming] = ProvingMetric.P99WithHitRatio(),
        [CatalogIds.MissingIndex] = ProvingMetric.P99(),
        [CatalogIds.ConnectionPooling] = ProvingMetric.P99(),
        [CatalogIds.UnboundedResults] = ProvingMetric.P99(),
        [CatalogIds.LockContention] = ProvingMetric.ThroughputInFlight(200),
        [CatalogIds.MemoryLeak] = ProvingMetric.HeapSlope(),
        [CatalogIds.ThreadPoolStarvation] = ProvingMetric.Capacity(SeedSloMs),
        [CatalogIds.BulkInsert] = ProvingMetric.WorkRate(),
        [CatalogIds.SequentialAwaits] = ProvingMetric.ServiceTimeAgainstDependencies(),
        // What the fix removes: the read's wait in the silo behind the same customer's writes. The request's P99 is the
        // client's and the links' (two of them to the silo) more than the wait's: a read queued 5 ms behind a write moves it little.
        [CatalogIds.GrainReadOnly] = ProvingMetric.MeanOf("P99 wait in the silo", v => v.GrainSplit?.SiloWaitP99Ms, Figures.MillisRange),
    };

    /// <summary>The entry's proving metric; an entry not declared yet is quoted by its P99 (a unit test asks every built entry to declare one).</summary>
    public static ProvingMetric For(string id) => ByEntry.TryGetValue(id, out var metric) ? metric : ProvingMetric.P99();

    /// <summary>The seed checkout first, then every built entry in the catalog's order.</summary>
    public static IEnumerable<string> Scenarios => new[] { PerfCatalog.SeedCheckoutScenario }.Concat(PerfCatalog.Built.Select(entry => entry.Id));

    /// <summary>Every scenario's headline that has one, in <see cref="Scenarios"/>' order.</summary>
    public static IReadOnlyList<Quote> Quotes(LogInputs inputs) =>
        [.. Scenarios.Select(id => For(id).Quote(inputs, id)).OfType<Quote>()];
}
