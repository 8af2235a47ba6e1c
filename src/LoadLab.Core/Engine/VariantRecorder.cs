using System.Collections.Concurrent;
using HdrHistogram;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;

namespace PerfReference.LoadLab.Engine;

/// <summary>
/// What one variant's measured requests did: latencies (µs, from the intended send time) in an
/// HdrHistogram, errors by kind, and sums of the per-request counters and server timings the service reports.
/// Safe to record from many requests at once.
/// </summary>
public sealed class VariantRecorder(Variant variant)
{
    /// <summary>Latencies up to 10 minutes at 3 significant digits.</summary>
    public const long HighestTrackableMicroseconds = 600_000_000;

    private readonly LongConcurrentHistogram _latency = new(1, HighestTrackableMicroseconds, 3);
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly LongConcurrentHistogram _dbTime = new(1, HighestTrackableMicroseconds, 3);
    private readonly LongConcurrentHistogram _serverTime = new(1, HighestTrackableMicroseconds, 3);
    private readonly LongConcurrentHistogram _sendLateness = new(1, HighestTrackableMicroseconds, 3);
    private readonly ConcurrentDictionary<string, long> _plans = new(StringComparer.Ordinal);
    private readonly Counter[] _counters = [.. PerfCounter.Recorded.Select(_ => new Counter())];
    private readonly Counter _dbConnectMicroseconds = new();
    private readonly Counter _serverMicroseconds = new();
    private readonly Counter _dbMicroseconds = new();
    private readonly Counter _grainMicroseconds = new();
    private readonly Counter _paymentMicroseconds = new();
    private readonly Counter _grainPathCalls = new();
    private readonly Counter _grainLinkMicroseconds = new();
    private readonly Counter _grainWaitMicroseconds = new();
    private readonly Counter _grainRunMicroseconds = new();
    private readonly Counter _grainLongestWaitMicroseconds = new();
    private readonly LongConcurrentHistogram _grainWait = new(1, HighestTrackableMicroseconds, 3);
    private readonly LongConcurrentHistogram _grainLongestWait = new(1, HighestTrackableMicroseconds, 3);
    private readonly ConcurrentQueue<TimedRequest> _timed = new();
    private long _bytes;
    private long _requests;

    public Variant Variant { get; } = variant;

    public long Requests => Interlocked.Read(ref _requests);

    public long Errors => _errors.Values.Sum();

    /// <summary>The measured requests whose traces the service recorded, with their latencies: where a percentile's trace is found.</summary>
    public TracedRequests Traced { get; } = new();

    public void RecordSuccess(long latencyMicroseconds, ResponseCounters counters, long bytes)
    {
        Interlocked.Increment(ref _requests);
        var latency = Math.Clamp(latencyMicroseconds, 1, HighestTrackableMicroseconds);
        _latency.RecordValue(latency);
        if (counters.TraceId is { } trace)
        {
            Traced.Add(latency, trace);
        }

        Interlocked.Add(ref _bytes, bytes);
        for (var i = 0; i < _counters.Length; i++)
        {
            _counters[i].Add(counters.Counts[i]);
        }

        _dbConnectMicroseconds.Add(Microseconds(counters.DbConnectMs));
        // The request's time in PostgreSQL, opening its connections included: a light query on a new connection costs the open.
        if (Microseconds(counters.DbMs + (counters.DbConnectMs ?? 0)) is { } dbMicroseconds)
        {
            _dbTime.RecordValue(Math.Clamp(dbMicroseconds, 1, HighestTrackableMicroseconds));
        }

        if (counters.DbPlan is { } plan)
        {
            _plans.AddOrUpdate(plan, 1, (_, n) => n + 1);
        }
        if (counters.ServerMs is { } serverMs)
        {
            _serverTime.RecordValue(Math.Clamp(Microseconds(serverMs)!.Value, 1, HighestTrackableMicroseconds));
            // Kept whole, request by request: which of them are the tail is known only once the P99 is.
            _timed.Enqueue(new TimedRequest(latency, serverMs, counters.DbMs, counters.GrainMs, counters.PaymentMs));
        }

        _serverMicroseconds.Add(Microseconds(counters.ServerMs));
        _dbMicroseconds.Add(Microseconds(counters.DbMs));
        _grainMicroseconds.Add(Microseconds(counters.GrainMs));
        _paymentMicroseconds.Add(Microseconds(counters.PaymentMs));
        if (counters.GrainPath is { } grains)
        {
            RecordGrainPath(grains);
        }
    }

    private void RecordGrainPath(GrainPathReading grains)
    {
        _grainPathCalls.Add(grains.Calls);
        _grainLinkMicroseconds.Add(Microseconds(grains.LinkMs));
        _grainRunMicroseconds.Add(Microseconds(grains.RunMs));
        var wait = Microseconds(grains.SiloWaitMs)!.Value;
        var longest = Microseconds(grains.LongestSiloWaitMs)!.Value;
        _grainWaitMicroseconds.Add(wait);
        _grainLongestWaitMicroseconds.Add(longest);
        _grainWait.RecordValue(Math.Clamp(wait, 1, HighestTrackableMicroseconds));
        _grainLongestWait.RecordValue(Math.Clamp(longest, 1, HighestTrackableMicroseconds));
    }

    private static long? Microseconds(double? ms) => ms is { } value ? (long)Math.Round(value * 1000) : null;

    private static double? Milliseconds(double? microseconds) => microseconds / 1000;

    /// <summary>
    /// How late the lab itself sent a request (from its due time to the moment it went out): an open loop counts
    /// latency from the due time, so a stall in the lab would show as the system's latency unless recorded apart.
    /// </summary>
    public void RecordSendLateness(TimeSpan lateness) =>
        _sendLateness.RecordValue(Math.Clamp(lateness.Ticks / TimeSpan.TicksPerMicrosecond, 1, HighestTrackableMicroseconds));

    public void RecordError(string kind)
    {
        Interlocked.Increment(ref _requests);
        _errors.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }

    /// <summary>A consistent copy of the latencies so far (for live figures and the result).</summary>
    public HistogramBase LatencySnapshot() => _latency.Copy();

    /// <summary>The totals so far, rounded as a result file keeps them (counters and times to the microsecond, bytes to a tenth).</summary>
    public VariantTotals Totals() => new()
    {
        Count = Requests,
        Errors = Errors,
        ErrorsByKind = _errors.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e => e.Value),
        CounterMeans = VariantTotals.Means(PerfCounter.Recorded.Select((counter, i) => (counter, Round(_counters[i].Mean)))),
        MeanBytes = SuccessCount is 0 ? 0 : Math.Round((double)Interlocked.Read(ref _bytes) / SuccessCount, 1),
        MeanServerMs = Round(Milliseconds(_serverMicroseconds.Mean)),
        MeanDbMs = Round(Milliseconds(_dbMicroseconds.Mean)),
        MeanGrainMs = Round(Milliseconds(_grainMicroseconds.Mean)),
        MeanPaymentMs = Round(Milliseconds(_paymentMicroseconds.Mean)),
        MeanDbConnectMs = Round(Milliseconds(_dbConnectMicroseconds.Mean)),
        DbP99Ms = Round(P99Ms(_dbTime)),
        ServerP99Ms = Round(P99Ms(_serverTime)),
        SendLatenessP99Ms = Round(P99Ms(_sendLateness)),
        SendLatenessMaxMs = Round(_sendLateness.TotalCount == 0 ? null : _sendLateness.GetMaxValue() / 1000.0),
        // The plan most requests reported, ties broken by name so the same counts give the same answer.
        DbPlan = _plans.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key).FirstOrDefault(),
        GrainSplit = GrainSplit(),
        Slowest = Slowest(),
    };

    /// <summary>The requests at or above the P99 (as the histogram places it: its bucket's lowest value), with their timings' means; null when none reported them.</summary>
    private TailTimeSplit? Slowest()
    {
        var latencies = LatencySnapshot();
        if (latencies.TotalCount == 0)
        {
            return null;
        }

        var from = latencies.LowestEquivalentValue(latencies.GetValueAtPercentile(99));
        var slowest = _timed.Where(request => request.LatencyMicroseconds >= from).ToArray();
        return slowest.Length == 0
            ? null
            : new TailTimeSplit(slowest.Length, Round(from / 1000.0)!.Value, Round(slowest.Average(r => r.LatencyMicroseconds) / 1000.0)!.Value,
                Round(slowest.Average(r => r.ServerMs))!.Value, Round(MeanOf(slowest, r => r.DbMs)), Round(MeanOf(slowest, r => r.GrainMs)),
                Round(MeanOf(slowest, r => r.PaymentMs)));

        static double? MeanOf(TimedRequest[] requests, Func<TimedRequest, double?> timing) =>
            requests.Select(timing).OfType<double>().ToArray() is { Length: > 0 } reported ? reported.Average() : null;
    }

    /// <summary>The grain time split over the requests that reported one; null when none did.</summary>
    private GrainTimeSplit? GrainSplit() => _grainPathCalls.Mean is { } calls
        ? new GrainTimeSplit(_grainPathCalls.Reported, Round(calls)!.Value,
            Round(Milliseconds(_grainLinkMicroseconds.Mean))!.Value, Round(Milliseconds(_grainWaitMicroseconds.Mean))!.Value,
            Round(Milliseconds(_grainRunMicroseconds.Mean))!.Value, Round(Milliseconds(_grainLongestWaitMicroseconds.Mean))!.Value,
            Round(P99Ms(_grainWait))!.Value, Round(P99Ms(_grainLongestWait))!.Value)
        : null;

    private static double? P99Ms(HistogramBase histogram) => histogram.TotalCount == 0 ? null : histogram.GetValueAtPercentile(99) / 1000.0;

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;

    private long SuccessCount => _latency.TotalCount;

    /// <summary>A request's latency (µs) beside the service's timings of it (ms).</summary>
    private readonly record struct TimedRequest(long LatencyMicroseconds, double ServerMs, double? DbMs, double? GrainMs, double? PaymentMs);

    /// <summary>A per-request counter: only requests that reported it count towards its mean.</summary>
    private sealed class Counter
    {
        private long _sum;
        private long _reported;

        public void Add(long? value)
        {
            if (value is { } v)
            {
                Interlocked.Add(ref _sum, v);
                Interlocked.Increment(ref _reported);
            }
        }

        public double? Mean => Interlocked.Read(ref _reported) is var n and > 0 ? (double)Interlocked.Read(ref _sum) / n : null;

        public long Reported => Interlocked.Read(ref _reported);
    }
}

/// <summary>
/// What a response reported (null where absent): the count of each counter the lab keeps (<see cref="PerfCounter.Recorded"/>,
/// in that order), and the Server-Timing durations (ms) — the time the service took until it answered, and what it spent
/// of that waiting on each dependency — and the plan PostgreSQL chose.
/// </summary>
public readonly record struct ResponseCounters(
    IReadOnlyList<long?> Counts,
    double? ServerMs = null, double? DbMs = null, double? GrainMs = null, double? PaymentMs = null,
    double? DbConnectMs = null, string? DbPlan = null)
{
    /// <summary>Where the grain calls on the request's critical path spent their time; null for a request that made none.</summary>
    public GrainPathReading? GrainPath { get; init; }

    /// <summary>The request's trace id, when the service answered its trace context and recorded the trace (<see cref="TraceResponse"/>).</summary>
    public UInt128? TraceId { get; init; }
}

/// <summary>
/// The grain calls on a request's critical path as the service reported them (<c>X-Perf-Grain-Path-Calls</c> and the
/// Server-Timing entries <c>grain-link</c>, <c>grain-wait</c>, <c>grain-run</c>: sums along that path, so they add up to
/// part of the request's wall time) and the longest any one call waited in a silo (<c>grain-wait-max</c>, a maximum).
/// </summary>
public readonly record struct GrainPathReading(long Calls, double LinkMs, double SiloWaitMs, double RunMs, double LongestSiloWaitMs)
{
    /// <summary>The reading of a response, or null when it made no grain call or left out a part of the split.</summary>
    public static GrainPathReading? Of(long? calls, Func<string, double?> duration) =>
        calls is > 0 && duration(ServerTiming.GrainLink) is { } link && duration(ServerTiming.GrainWait) is { } wait
        && duration(ServerTiming.GrainRun) is { } run && duration(ServerTiming.GrainLongestWait) is { } longest
            ? new GrainPathReading(calls.Value, link, wait, run, longest)
            : null;
}
