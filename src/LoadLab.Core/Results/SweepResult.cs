using System.Diagnostics.CodeAnalysis;

namespace PerfReference.LoadLab.Results;

/// <summary>
/// One concurrency sweep, as written to results/sweep/&lt;scenario&gt;/&lt;UTC time&gt;-&lt;profile&gt;.json: the header, each
/// variant on its own, closed loop, at each number of requests in flight, and what each level measured.
/// </summary>
public sealed record SweepResult : MeasurementHeader
{
    public SweepResult()
    {
    }

    /// <summary>A result with the header every measurement shares; its own figures are set after.</summary>
    [SetsRequiredMembers]
    public SweepResult(MeasurementHeader header) : base(header)
    {
    }

    public IReadOnlyList<int> Levels { get; init; } = [];

    public double StepSeconds { get; init; }

    public double WarmupSeconds { get; init; }

    public IReadOnlyList<SweepPoint> Points { get; init; } = [];
}

/// <summary>
/// One variant at one concurrency: when it ran (seconds from the sweep's start), its requests, errors,
/// throughput (successes per second) and latencies (ms, from each request's send), and the monitor lock
/// contentions the services' runtimes counted meanwhile (null when no signals were recorded).
/// </summary>
public sealed record SweepPoint(
    string Variant,
    int InFlight,
    double FromSeconds,
    double ToSeconds,
    long Requests,
    long Errors,
    double Throughput,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    double? LockContentions = null)
{
    /// <summary>The lock contentions the signals counted within this point's window, over every sampled process.</summary>
    public SweepPoint WithContentions(IReadOnlyList<ProcessSignals> signals) => signals.Count == 0
        ? this
        : this with
        {
            LockContentions = signals.Sum(process => process.Samples
                .Where(sample => sample.AtSeconds > FromSeconds && sample.AtSeconds <= ToSeconds)
                .Sum(sample => sample.LockContentions)),
        };
}
