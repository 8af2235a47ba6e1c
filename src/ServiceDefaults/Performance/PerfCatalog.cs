namespace PerfReference.Performance;

/// <summary>One bottleneck of the optimization catalog: the naive code, its fix, and the metric that proves the difference.</summary>
public sealed record PerfEntry(string Id, string Title, string Naive, string Optimized, string ProvingMetric);

/// <summary>
/// The optimization catalog — the one list that the per-request switch, the load lab, the log and
/// the tests all read. Ids are stable (kebab-case): they appear in headers, metrics, result files.
/// </summary>
public static class PerfCatalog
{
    public static readonly PerfEntry NPlusOneDb = new("n-plus-one-db", "N+1 database queries",
        "one SELECT per order line / per customer", "eager or batched loading (JOIN / IN / split query)", "DB round trips per request, p99");

    public static readonly PerfEntry NPlusOneGrains = new("n-plus-one-grains", "N+1 grain calls",
        "one grain call after another for N customers", "fan-out or batched reads (Task.WhenAll, batch grain, stateless worker)", "grain calls per request, p99");

    public static readonly PerfEntry PaymentAsync = new("payment-async", "Blocking payment call",
        "blocking call to the payment provider on the request path", "async call with timeout, retry and circuit breaker; capture off the critical path", "p99, thread-pool queue length, behaviour during outage");

    public static readonly PerfEntry PaymentDeferred = new("payment-deferred", "Payment authorisation on the request path",
        "the checkout waits for the provider's authorisation before answering", "the order is accepted (202, payment pending) and authorised by the outbox worker", "payment calls on the request path, p99");

    public static readonly PerfEntry Compression = new("compression", "Uncompressed payloads",
        "uncompressed JSON / gRPC payloads", "Brotli/gzip response compression, gRPC compression", "bytes on the wire, p99 over a bandwidth-limited link");

    public static readonly PerfEntry Serialization = new("serialization", "Reflection serialization of oversized payloads",
        "reflection-based serialization of an oversized payload", "source-generated System.Text.Json with a projection DTO", "serialization time, allocations, p99");

    public static readonly PerfEntry CacheWarming = new("cache-warming", "Cold caches after a deploy",
        "cold Redis and cold grains after a restart", "warm-up before readiness", "hit ratio and p99 of the first requests after restart");

    public static readonly PerfEntry MissingIndex = new("missing-index", "Missing index",
        "sequential scan on a large table", "targeted / composite / covering index", "EXPLAIN plan, query time");

    public static readonly PerfEntry ConnectionPooling = new("connection-pooling", "No connection pooling",
        "a new connection per request", "pooled connections (Npgsql pool; optionally PgBouncer)", "connection opens per second, p99");

    public static readonly PerfEntry UnboundedResults = new("unbounded-results", "Unbounded results",
        "whole table returned", "keyset pagination / LIMIT / streaming", "response size, memory");

    public static readonly PerfEntry LockContention = new("lock-contention", "Lock contention",
        "one hot lock / one hot grain", "finer-grained or lock-free / stateless worker / read-only interleaving", "throughput under concurrency");

    public static readonly PerfEntry MemoryLeak = new("memory-leak", "Unbounded cache",
        "an unbounded static cache", "bounded cache with size limits and expiry", "RSS and GC over time");

    public static readonly PerfEntry ThreadPoolStarvation = new("threadpool-starvation", "Thread-pool starvation",
        "sync-over-async", "async all the way", "p99 under burst, thread-pool queue length");

    public static readonly PerfEntry BulkInsert = new("bulk-insert", "Row-by-row inserts",
        "row-by-row INSERT of seed data", "COPY (binary import)", "rows per second");

    public static IReadOnlyList<PerfEntry> All { get; } =
    [
        NPlusOneDb, NPlusOneGrains, PaymentAsync, PaymentDeferred, Compression, Serialization, CacheWarming, MissingIndex,
        ConnectionPooling, UnboundedResults, LockContention, MemoryLeak, ThreadPoolStarvation, BulkInsert,
    ];

    /// <summary>The combined journey (everything naive against everything optimized): a scenario, not an entry.</summary>
    public const string SeedCheckoutScenario = "seed-checkout";

    public static PerfEntry? Find(string id) => All.FirstOrDefault(entry => entry.Id == id);

    /// <summary>What a request may say it measures (X-Perf-Entry): a catalog entry or the combined journey.</summary>
    public static bool IsMeasurable(string label) => label == SeedCheckoutScenario || Find(label) is not null;
}
