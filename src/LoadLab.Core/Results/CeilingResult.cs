using System.Diagnostics.CodeAnalysis;

namespace PerfReference.LoadLab.Results;

/// <summary>
/// One ceiling measurement, as written to results/ceiling/&lt;UTC time&gt;-&lt;profile&gt;.json: the bare endpoint and the
/// optimized cached read, each held at the same number of requests in flight (closed loop) in alternating rounds; what
/// each round measured; and whether the services' telemetry was on.
/// </summary>
public sealed record CeilingResult : MeasurementHeader
{
    public CeilingResult()
    {
    }

    /// <summary>A result with the header every measurement shares; its own figures are set after.</summary>
    [SetsRequiredMembers]
    public CeilingResult(MeasurementHeader header) : base(header)
    {
    }

    public int InFlight { get; init; }

    public int Rounds { get; init; }

    public double StepSeconds { get; init; }

    public double WarmupSeconds { get; init; }

    public TelemetryState Telemetry { get; init; } = TelemetryState.NotRead;

    public IReadOnlyList<CeilingPoint> Points { get; init; } = [];

    /// <summary>Each target's requests per second over the rounds, and the ratio's (written to the file; the log computes it again from the points).</summary>
    public CeilingSummary Summary => CeilingSummary.Of(Points);
}

/// <summary>
/// One target in one round: when it ran (seconds from the start), its requests, errors, throughput (successes per
/// second), latencies (ms, from each request's send) and the PostgreSQL round trips its requests reported on average
/// (0 for both targets: the cached read stayed cached).
/// </summary>
public sealed record CeilingPoint(
    int Round,
    string Target,
    double FromSeconds,
    double ToSeconds,
    long Requests,
    long Errors,
    double Throughput,
    double P50Ms,
    double P99Ms,
    double? MeanDbRoundtrips)
{
    /// <summary>The target that answers a constant without touching a dependency.</summary>
    public const string Bare = "bare";

    /// <summary>The target that reads a product from the cache, everything optimized.</summary>
    public const string CachedRead = "cached read";
}

/// <summary>The lowest, median and highest of a figure over the rounds.</summary>
public sealed record Spread(double Lowest, double Median, double Highest)
{
    public static Spread Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Spread(0, 0, 0);
        }

        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Spread(sorted[0], median, sorted[^1]);
    }
}

/// <summary>
/// A ceiling measurement in three figures: the bare endpoint's and the cached read's requests per second over the
/// rounds, and the ratio cached read ÷ bare of each round (each round's pair ran back to back, so what the machine did
/// meanwhile hit both).
/// </summary>
public sealed record CeilingSummary(Spread Bare, Spread CachedRead, Spread Ratio)
{
    /// <summary>The goal (issue 15): an optimized cached read keeps at least half the requests per second of the bare endpoint.</summary>
    public const double Goal = 0.5;

    public bool GoalMet => Ratio.Median >= Goal;

    public static CeilingSummary Of(IReadOnlyList<CeilingPoint> points)
    {
        var rounds = points.Select(p => p.Round).Distinct().Order().ToArray();
        double? Throughput(int round, string target) => points.FirstOrDefault(p => p.Round == round && p.Target == target)?.Throughput;

        var ratios = rounds
            .Select(round => (Bare: Throughput(round, CeilingPoint.Bare), Cached: Throughput(round, CeilingPoint.CachedRead)))
            .Where(pair => pair is { Bare: > 0, Cached: not null })
            .Select(pair => pair.Cached!.Value / pair.Bare!.Value);
        return new CeilingSummary(
            Spread.Of(points.Where(p => p.Target == CeilingPoint.Bare).Select(p => p.Throughput)),
            Spread.Of(points.Where(p => p.Target == CeilingPoint.CachedRead).Select(p => p.Throughput)),
            Spread.Of(ratios));
    }
}
