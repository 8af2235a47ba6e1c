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
}
