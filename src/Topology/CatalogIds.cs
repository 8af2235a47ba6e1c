namespace PerfReference.Topology;

/// <summary>
/// The ids of the optimization catalog's entries (src/Performance's PerfCatalog) and of the lab's measurements that are
/// not entries: stable kebab-case names that cross every process boundary — the X-Perf-Entry header, metric tags, result
/// files and the dashboard's commands — and so live here, where the AppHost can name its commands without the lab.
/// </summary>
public static class CatalogIds
{
    public const string NPlusOneDb = "n-plus-one-db";
    public const string NPlusOneGrains = "n-plus-one-grains";
    public const string PaymentAsync = "payment-async";
    public const string PaymentDeferred = "payment-deferred";
    public const string Compression = "compression";
    public const string Serialization = "serialization";
    public const string CacheWarming = "cache-warming";
    public const string MissingIndex = "missing-index";
    public const string ConnectionPooling = "connection-pooling";
    public const string UnboundedResults = "unbounded-results";
    public const string LockContention = "lock-contention";
    public const string MemoryLeak = "memory-leak";
    public const string ThreadPoolStarvation = "threadpool-starvation";
    public const string BulkInsert = "bulk-insert";
    public const string SequentialAwaits = "sequential-awaits";
    public const string GrainReadOnly = "grain-read-only";

    /// <summary>The combined journey (everything naive against everything optimized): a scenario, not an entry.</summary>
    public const string SeedCheckout = "seed-checkout";

    /// <summary>The ceiling measurement (a bare endpoint against an optimized cached read): a label the lab sends, not an entry.</summary>
    public const string Ceiling = "ceiling";
}
