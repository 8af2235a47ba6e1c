namespace PerfReference.Performance;

/// <summary>Tag and header names, in one place.</summary>
public static class PerfTags
{
    public const string Variant = "perf.variant";
    public const string Selection = "perf.selection";
    public const string Entry = "perf.entry";
    public const string NoEntry = "none";

    /// <summary>
    /// The endpoint a request was served by, by its name (PlaceOrder, GetOrder…), on the metrics: what monitoring
    /// selects a request kind by in production, where no request names a catalog entry.
    /// </summary>
    public const string Operation = "perf.operation";

    /// <summary>The operation of a request that matched no named endpoint.</summary>
    public const string OtherOperation = "other";

    public const string EntryHeader = "X-Perf-Entry";
    public const string DbRoundtripsHeader = "X-Perf-Db-Roundtrips";
    public const string DbConnectionOpensHeader = "X-Perf-Db-Connection-Opens";
    public const string DbPlanHeader = "X-Perf-Db-Plan";
    public const string GrainCallsHeader = "X-Perf-Grain-Calls";
    public const string GrainConcurrencyHeader = "X-Perf-Grain-Concurrency";
    public const string PaymentCallsHeader = "X-Perf-Payment-Calls";
    public const string RedisOperationsHeader = "X-Perf-Redis-Ops";
    public const string CacheHitsHeader = "X-Perf-Cache-Hits";
    public const string CacheMissesHeader = "X-Perf-Cache-Misses";
    public const string BlockingCallsHeader = "X-Perf-Blocking-Calls";

    /// <summary>The grain calls on the request's critical path (<see cref="GrainCallPath"/>); their split is in Server-Timing.</summary>
    public const string GrainPathCallsHeader = "X-Perf-Grain-Path-Calls";

    // Where a grain call's time went. On the call's spans (the caller's client span and the silo's server span), the call's own
    // figures; on the request's span, its critical path's sums (perf.grain.path.*) and the longest single wait.
    public const string GrainLinkMs = "perf.grain.link_ms";
    public const string GrainSiloWaitMs = "perf.grain.silo_wait_ms";
    public const string GrainRunMs = "perf.grain.run_ms";
    public const string GrainPathCalls = "perf.grain.path.calls";
    public const string GrainPathLinkMs = "perf.grain.path.link_ms";
    public const string GrainPathSiloWaitMs = "perf.grain.path.silo_wait_ms";
    public const string GrainPathRunMs = "perf.grain.path.run_ms";
    public const string GrainLongestSiloWaitMs = "perf.grain.silo_wait_max_ms";
}
