namespace PerfReference.Performance;

/// <summary>Tag and header names besides the counters' own (<see cref="PerfCounter"/>), in one place.</summary>
public static class PerfTags
{
    public const string Variant = "perf.variant";
    public const string Selection = "perf.selection";
    public const string Entry = "perf.entry";
    public const string NoEntry = "none";

    /// <summary>The plan's scan node, when the request asked PostgreSQL for it (catalog entry missing-index).</summary>
    public const string DbPlan = "perf.db.plan";

    /// <summary>Response body bytes the request wrote (the service's count, before compression by a proxy).</summary>
    public const string ResponseBytes = "perf.response.bytes";

    public const string EntryHeader = "X-Perf-Entry";
    public const string DbPlanHeader = "X-Perf-Db-Plan";
}
