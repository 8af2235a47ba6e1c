namespace PerfReference.LoadLab.Results;

/// <summary>
/// Where a variant's slowest requests spent their time: the successful requests at or above its 99th percentile (the
/// P99's own requests), how many and from what latency, and the means over them of their latency and of what the
/// service reported of each (<c>Server-Timing</c> app, db, grains, payments; a dependency's mean over the requests that
/// reported it). The same columns as the variant's means over all its requests, for its tail alone: the column that
/// grew is where a P99 far above the median went.
/// </summary>
public sealed record TailTimeSplit(
    long Requests, double FromMs, double LatencyMs, double ServerMs, double? DbMs, double? GrainMs, double? PaymentMs);
