namespace PerfReference.Performance;

/// <summary>Tag and header names besides the counters' own (<see cref="PerfCounter"/>), in one place.</summary>
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

    /// <summary>The plan's scan node, when the request asked PostgreSQL for it (catalog entry missing-index).</summary>
    public const string DbPlan = "perf.db.plan";

    /// <summary>Response body bytes the request wrote (the service's count, before compression by a proxy).</summary>
    public const string ResponseBytes = "perf.response.bytes";

    public const string EntryHeader = "X-Perf-Entry";
    public const string DbPlanHeader = "X-Perf-Db-Plan";

    /// <summary>
    /// The request's trace context as the service recorded it (W3C Trace Context Level 2: <c>00-&lt;trace id&gt;-&lt;span id&gt;-&lt;flags&gt;</c>,
    /// flags 01 when the trace is sampled), lab mode only: the lab keeps each request's trace id beside its latency, to read
    /// back from the dashboard the trace of the request nearest a percentile.
    /// </summary>
    public const string TraceResponseHeader = "traceresponse";

    /// <summary>The grain calls on the request's critical path (<see cref="GrainCallPath"/>); their split is in Server-Timing.</summary>
    public const string GrainPathCallsHeader = "X-Perf-Grain-Path-Calls";

    // Where a request's grain time went, on the request's span: its critical path's sums (perf.grain.path.*) and the
    // longest single wait (each call's own figures are on its spans: CustomerGrains.Timing.GrainCallTags).
    public const string GrainPathCalls = "perf.grain.path.calls";
    public const string GrainPathLinkMs = "perf.grain.path.link_ms";
    public const string GrainPathSiloWaitMs = "perf.grain.path.silo_wait_ms";
    public const string GrainPathRunMs = "perf.grain.path.run_ms";
    public const string GrainLongestSiloWaitMs = "perf.grain.silo_wait_max_ms";
}
