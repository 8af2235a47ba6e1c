namespace PerfReference.LoadLab.Results;

/// <summary>
/// Where a variant's grain time went, from what the service reported of each request (the critical path's grain calls:
/// <c>X-Perf-Grain-Path-Calls</c>, Server-Timing <c>grain-link</c>, <c>grain-wait</c>, <c>grain-run</c>, <c>grain-wait-max</c>),
/// over the <see cref="Requests"/> that made a grain call: the means per request of the calls on the path, of their link to
/// the silo (there and back), of their wait in the silo before they ran (the activation's queue) and of the grains' own
/// execution — sums along the path, so they add up to part of the request's wall time, never a sum of calls that
/// overlapped — and the mean of the longest single wait (a maximum over the request's calls); the 99th percentiles of
/// both waits in ms.
/// </summary>
public sealed record GrainTimeSplit(
    long Requests, double PathCalls, double LinkMs, double SiloWaitMs, double RunMs, double LongestSiloWaitMs,
    double SiloWaitP99Ms, double LongestSiloWaitP99Ms);
