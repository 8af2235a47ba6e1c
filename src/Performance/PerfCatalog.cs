using PerfReference.Topology;

namespace PerfReference.Performance;

/// <summary>
/// One bottleneck of the optimization catalog: the naive code, its fix, and the metric that proves
/// the difference. An entry that is listed but not built yet (<see cref="IsBuilt"/> false) cannot
/// be selected: a request that names it is refused rather than silently running neither variant.
/// </summary>
public sealed record PerfEntry(string Id, string Title, string Naive, string Optimized, string ProvingMetric)
{
    public bool IsBuilt { get; init; }
}

/// <summary>
/// The optimization catalog — the one list that the per-request switch, the load lab, the log and
/// the tests all read. Ids are stable (kebab-case): they appear in headers, metrics, result files.
/// </summary>
public static class PerfCatalog
{
    public static readonly PerfEntry NPlusOneDb = new(CatalogIds.NPlusOneDb, "N+1 database queries",
        "one SELECT per order line, one INSERT per line", "one query for all lines (= ANY, JOINs); the lines inserted from arrays in one statement",
        "DB round trips per request, p99") { IsBuilt = true };

    public static readonly PerfEntry NPlusOneGrains = new(CatalogIds.NPlusOneGrains, "N+1 grain calls",
        "one grain call after another for N customers", "the N calls fanned out at once (Task.WhenAll)",
        "grain calls in flight at once, p99") { IsBuilt = true };

    public static readonly PerfEntry PaymentAsync = new(CatalogIds.PaymentAsync, "Blocking payment call",
        "blocking calls to the payment provider on the request path (authorise, then capture)",
        "an async authorisation with timeout, retry and circuit breaker; the capture off the critical path",
        "p99, payment calls per request, behaviour during an outage") { IsBuilt = true };

    public static readonly PerfEntry PaymentDeferred = new(CatalogIds.PaymentDeferred, "Payment authorisation on the request path",
        "the checkout waits for the provider's authorisation before answering", "the order is accepted (202, payment pending) and authorised by the outbox worker",
        "payment calls on the request path, p99") { IsBuilt = true };

    public static readonly PerfEntry Compression = new(CatalogIds.Compression, "Uncompressed payloads",
        "uncompressed JSON responses", "Brotli/gzip response compression (gRPC stays uncompressed: its messages grow under gzip)",
        "bytes on the wire, p99 over a bandwidth-limited link") { IsBuilt = true };

    public static readonly PerfEntry Serialization = new(CatalogIds.Serialization, "Reflection serialization of oversized payloads",
        "the entity graph serialized by reflection", "a projection serialized by source-generated System.Text.Json",
        "bytes, serialization time, allocations, p99") { IsBuilt = true };

    public static readonly PerfEntry CacheWarming = new(CatalogIds.CacheWarming, "Cold caches after a deploy",
        "cold Redis and cold grains after a restart", "warm-up before readiness",
        "hit ratio and p99 of the first requests after restart") { IsBuilt = true };

    public static readonly PerfEntry MissingIndex = new(CatalogIds.MissingIndex, "Missing index",
        "the plan without an index: a sequential scan of 1M orders for one hour's summary (index scans off for the transaction)",
        "an index on orders (created_at, id), built concurrently by a migration",
        "the plan's scan node (EXPLAIN), query time p99") { IsBuilt = true };

    public static readonly PerfEntry ConnectionPooling = new(CatalogIds.ConnectionPooling, "No connection pooling",
        "a new physical connection per request (TCP, startup, SCRAM authentication, a forked server process)",
        "Npgsql's pool with chosen settings; PgBouncer in transaction mode when many instances share one server",
        "connection opens per request, time to open, p99, PostgreSQL CPU per request") { IsBuilt = true };

    public static readonly PerfEntry UnboundedResults = new(CatalogIds.UnboundedResults, "Unbounded results",
        "every order of the window materialised and serialised in one answer",
        "keyset pages of a bounded size; the whole-window export streamed (IAsyncEnumerable)",
        "response bytes, allocated bytes per request, peak working set, p99") { IsBuilt = true };

    public static readonly PerfEntry LockContention = new(CatalogIds.LockContention, "Lock contention",
        "one process-wide lock around each stock reservation, its two database round trips inside",
        "one conditional UPDATE (stock = stock - q WHERE stock >= q): PostgreSQL's row lock, held for the statement only",
        "capacity, lock contentions, p99 under load") { IsBuilt = true };

    public static readonly PerfEntry MemoryLeak = new(CatalogIds.MemoryLeak, "Unbounded cache",
        "catalog pages in a static dictionary keyed by the query string, never evicted",
        "a MemoryCache with a size limit and an expiry", "working set and GC heap slope (MB/min), gen-2 collections") { IsBuilt = true };

    public static readonly PerfEntry ThreadPoolStarvation = new(CatalogIds.ThreadPoolStarvation, "Thread-pool starvation",
        "sync-over-async: a synchronous query and a blocking gRPC call, each holding one of a fixed pool of ten threads", "async all the way",
        "capacity, p99 under a burst, thread-pool queue length and threads") { IsBuilt = true };

    public static readonly PerfEntry BulkInsert = new(CatalogIds.BulkInsert, "Row-by-row inserts",
        "a product feed imported through EF Core: one INSERT (or UPDATE) statement per row",
        "binary COPY into a staging table, then one INSERT … ON CONFLICT merge",
        "rows per second") { IsBuilt = true };

    public static readonly PerfEntry SequentialAwaits = new(CatalogIds.SequentialAwaits, "Independent calls awaited in turn",
        "the checkout's customer profile (a grain call) awaited between its idempotency-key lookup and its product query",
        "the grain call made first and awaited last, travelling while the database answers; the key's lookup and the product query sent as one batch",
        "the checkout's service time against its dependencies' sum (Server-Timing), p99") { IsBuilt = true };

    public static readonly PerfEntry GrainReadOnly = new(CatalogIds.GrainReadOnly, "Reads queued behind a grain's writes",
        "a hot customer's profile read is an ordinary grain call: it queues behind RecordOrder's storage write on the same activation",
        "the read interleaves ([AlwaysInterleave]) and answers the last committed profile, an immutable copy replaced after each successful write",
        "the read's wait in the silo (grain time split), p99 of reads under concurrent writes") { IsBuilt = true };

    public static IReadOnlyList<PerfEntry> All { get; } =
    [
        NPlusOneDb, NPlusOneGrains, PaymentAsync, PaymentDeferred, Compression, Serialization, CacheWarming, MissingIndex,
        ConnectionPooling, UnboundedResults, LockContention, MemoryLeak, ThreadPoolStarvation, BulkInsert, SequentialAwaits,
        GrainReadOnly,
    ];

    public static IReadOnlyList<PerfEntry> Built { get; } = [.. All.Where(entry => entry.IsBuilt)];

    /// <summary>The combined journey (everything naive against everything optimized): a scenario, not an entry.</summary>
    public const string SeedCheckoutScenario = CatalogIds.SeedCheckout;

    /// <summary>The ceiling measurement (a bare endpoint against an optimized cached read): a label the lab sends, not an entry.</summary>
    public const string CeilingScenario = CatalogIds.Ceiling;

    /// <summary>What a request may say it measures (<c>X-Perf-Entry</c>) besides a built entry: the lab's measurements that are not entries.</summary>
    public static bool IsMeasurementLabel(string label) => label is SeedCheckoutScenario or CeilingScenario;

    public static PerfEntry? Find(string id) => All.FirstOrDefault(entry => entry.Id == id);

    /// <summary>
    /// The entry a request may select or say it measures: built, or an error that says why not —
    /// an id the catalog does not know, or one it lists but has not built yet.
    /// </summary>
    public static PerfEntry RequireBuilt(string id) => RequireBuilt(id, All);

    internal static PerfEntry RequireBuilt(string id, IReadOnlyList<PerfEntry> catalog)
    {
        var builtIds = string.Join(", ", catalog.Where(e => e.IsBuilt).Select(e => e.Id));
        return catalog.FirstOrDefault(entry => entry.Id == id) switch
        {
            { IsBuilt: true } entry => entry,
            { } listed => throw new PerfSelectionException(
                $"'{listed.Id}' is in the catalog but not built yet, so neither variant exists; built entries: {builtIds}."),
            null => throw new PerfSelectionException($"'{id}' is not a catalog entry; built entries: {builtIds}."),
        };
    }
}
