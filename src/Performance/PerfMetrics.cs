using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PerfReference.Performance;

/// <summary>
/// Per-request figures as OpenTelemetry metrics, tagged with the variant and the catalog entry, so
/// the dashboard can put the naive and the optimized runs side by side, and with the endpoint's name, so that
/// production's alerts (deploy/kubernetes/base/monitoring) can hold a checkout to what the optimized code does: the
/// duration, a histogram of each <see cref="PerfCounter"/> that has a metric, the response's bytes, and the cache
/// lookups by result.
/// </summary>
public sealed class PerfMetrics
{
    public const string MeterName = "PerfReference.Performance";

    private readonly Histogram<double> _duration;
    private readonly Histogram<long>?[] _counters;
    private readonly Histogram<long> _responseBytes;
    private readonly Counter<long> _cacheLookups;
    private readonly Histogram<long> _grainPathCalls;
    private readonly Histogram<double> _grainPathLink;
    private readonly Histogram<double> _grainPathSiloWait;
    private readonly Histogram<double> _grainPathRun;
    private readonly Histogram<double> _grainLongestSiloWait;

    public PerfMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _duration = meter.CreateHistogram<double>("perf.request.duration", "ms", "Time to serve a request, by variant and catalog entry");
        _counters = [.. PerfCounter.All.Select(counter => counter.Metric is { } name ? meter.CreateHistogram<long>(name, counter.Unit, counter.Description) : null)];
        _responseBytes = meter.CreateHistogram<long>("perf.request.response_bytes", "By", "Response body bytes written per request");
        _cacheLookups = meter.CreateCounter<long>("perf.cache.lookups", "{lookup}", "Cache lookups, tagged cache.result = hit or miss (hit ratio = hits / all)");
        // Where a request's grain time went (GrainCallPath): recorded for requests whose grain calls the silos timed.
        _grainPathCalls = meter.CreateHistogram<long>("perf.request.grain_path_calls", "{call}", "Grain calls on a request's critical path");
        _grainPathLink = meter.CreateHistogram<double>("perf.request.grain_path_link", "ms", "Link to the silos and back, summed over the grain calls on a request's critical path");
        _grainPathSiloWait = meter.CreateHistogram<double>("perf.request.grain_path_silo_wait", "ms", "Wait in the silos before the calls ran, summed over the grain calls on a request's critical path");
        _grainPathRun = meter.CreateHistogram<double>("perf.request.grain_path_run", "ms", "The grains' own execution, summed over the grain calls on a request's critical path");
        _grainLongestSiloWait = meter.CreateHistogram<double>("perf.request.grain_silo_wait_max", "ms", "The longest any one grain call of a request waited in a silo");
    }

    public void Record(PerfRequest request, string operation, double durationMs, long responseBytes)
    {
        var tags = new TagList
        {
            { PerfTags.Variant, request.VariantLabel },
            { PerfTags.Entry, request.Entry ?? PerfTags.NoEntry },
            { PerfTags.Operation, operation },
        };
        _duration.Record(durationMs, tags);
        foreach (var counter in PerfCounter.All)
        {
            _counters[counter.Index]?.Record(request.Counters[counter], tags);
        }

        _responseBytes.Record(responseBytes, tags);
        if (request.Counters.GrainPath is { Calls: > 0 } grainPath)
        {
            _grainPathCalls.Record(grainPath.Calls, tags);
            _grainPathLink.Record(grainPath.Link.TotalMilliseconds, tags);
            _grainPathSiloWait.Record(grainPath.SiloWait.TotalMilliseconds, tags);
            _grainPathRun.Record(grainPath.Run.TotalMilliseconds, tags);
            _grainLongestSiloWait.Record(grainPath.LongestSiloWait.TotalMilliseconds, tags);
        }

        if (request.Counters.CacheHits > 0)
        {
            _cacheLookups.Add(request.Counters.CacheHits, [.. tags, new("cache.result", "hit")]);
        }

        if (request.Counters.CacheMisses > 0)
        {
            _cacheLookups.Add(request.Counters.CacheMisses, [.. tags, new("cache.result", "miss")]);
        }
    }
}
