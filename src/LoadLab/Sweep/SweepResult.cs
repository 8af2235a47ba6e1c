using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Signals;

namespace PerfReference.LoadLab.Sweep;

/// <summary>
/// One concurrency sweep, as written to results/sweep/&lt;scenario&gt;/&lt;UTC time&gt;-&lt;profile&gt;.json: each variant
/// on its own, closed loop, at each number of requests in flight; what each level measured; and the
/// topology's runtime signals throughout.
/// </summary>
public sealed record SweepResult(
    string Scenario,
    string Title,
    DateTimeOffset StartedUtc,
    DateTimeOffset FinishedUtc,
    IReadOnlyList<int> Levels,
    double StepSeconds,
    double WarmupSeconds,
    string Profile,
    string BaseUrl,
    string Setup,
    MachineInfo Machine,
    string Commit,
    string Command,
    IReadOnlyList<SweepPoint> Points,
    IReadOnlyList<ProcessSignals>? Signals = null)
{
    /// <summary>Each network link's round trip measured during the sweep (none on loopback; absent in older files).</summary>
    public IReadOnlyList<Links.LinkRoundTrip>? Links { get; init; }

    /// <summary>What was different about this sweep: its links slower than their profile (<see cref="Links.LinkRoundTrip.Mark"/>); kept apart in the log.</summary>
    public string? Condition { get; init; }
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
