using System.Diagnostics.CodeAnalysis;

namespace PerfReference.LoadLab.Results;

/// <summary>
/// One capacity search, as written to results/capacity/&lt;scenario&gt;/&lt;UTC time&gt;-&lt;profile&gt;-&lt;mode&gt;.json:
/// the header, the plan, every step of every variant, and each variant's highest sustained rate. For an interleaved
/// search, <see cref="InterleavingValidBelow"/> is the per-variant rate at which the first variant broke: from there on
/// an interleaved run measures the saturated system, not the variants.
/// </summary>
public sealed record CapacityResult : MeasurementHeader
{
    public CapacityResult()
    {
    }

    /// <summary>A result with the header every measurement shares; its own figures are set after.</summary>
    [SetsRequiredMembers]
    public CapacityResult(MeasurementHeader header) : base(header)
    {
    }

    public const string Phased = "phased";

    public const string Interleaved = "interleaved";

    /// <summary><see cref="Phased"/> or <see cref="Interleaved"/>.</summary>
    public string Mode { get; init; } = "";

    public double SloP99Ms { get; init; }

    public double MaxErrorPercent { get; init; }

    public double StartRate { get; init; }

    public double Factor { get; init; }

    public double StepSeconds { get; init; }

    public double MaxRate { get; init; }

    public IReadOnlyList<VariantCapacity> Variants { get; init; } = [];

    public IReadOnlyList<CapacityStep> Steps { get; init; } = [];

    public double? InterleavingValidBelow { get; init; }
}

/// <summary>
/// A variant's capacity: the highest per-variant rate (requests/s) it sustained within the service
/// level, null if it broke at the first step; <see cref="Bounded"/> false when it never broke (the
/// figure is then a lower bound), else the rate it broke at and why. <see cref="AtCapacity"/>: what
/// each service spent at that rate (phased searches only: interleaved, the load is shared).
/// </summary>
public sealed record VariantCapacity(string Label, string Header, double? SustainedRate, bool Bounded, double? BrokeAtRate, string? BrokeBecause)
{
    public IReadOnlyList<ServiceCost>? AtCapacity { get; init; }
}

/// <summary>
/// One service's CPU during a variant's highest held step (all its processes together, e.g. both
/// silos), and the requests per second one core of it carried there — the figure for sizing: how
/// many cores of each service a target rate needs.
/// </summary>
public sealed record ServiceCost(string Service, int Processes, double CpuCores, double? RequestsPerCore)
{
    /// <summary>
    /// Each service's mean CPU over the samples within a step, summed over its processes; requests per
    /// core = the step's rate ÷ that (null when the service used no measurable CPU).
    /// </summary>
    public static IReadOnlyList<ServiceCost> During(CapacityStep step, IReadOnlyList<ProcessSignals> signals) =>
        [.. signals
            .GroupBy(p => p.Service, StringComparer.Ordinal)
            .Select(service =>
            {
                var means = service
                    .Select(p => p.Samples.Where(s => s.AtSeconds > step.FromSeconds && s.AtSeconds <= step.ToSeconds).ToArray())
                    .Where(samples => samples.Length > 0)
                    .Select(samples => samples.Average(s => s.CpuCores))
                    .ToArray();
                var cores = Math.Round(means.Sum(), 2);
                return new ServiceCost(service.Key, means.Length, cores, cores >= 0.01 ? Math.Round(step.Rate / cores, 1) : null);
            })
            .Where(cost => cost.Processes > 0)
            .OrderBy(cost => cost.Service, StringComparer.Ordinal)];
}

/// <summary>One variant in one step: the rate offered to it, when the step ran (seconds from the search's start), and what it measured.</summary>
public sealed record CapacityStep(
    string Variant,
    double Rate,
    double FromSeconds,
    double ToSeconds,
    long Requests,
    long Errors,
    double Throughput,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    bool Held,
    string? Reason)
{
    /// <summary>Where the step's requests at or above its P99 spent their time; null when none reported it (or the file is older).</summary>
    public TailTimeSplit? Slowest { get; init; }
}
