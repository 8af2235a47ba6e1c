using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Signals;

namespace PerfReference.LoadLab.Capacity;

/// <summary>
/// One capacity search, as written to results/capacity/&lt;scenario&gt;/&lt;UTC time&gt;-&lt;profile&gt;-&lt;mode&gt;.json:
/// the plan, every step of every variant, each variant's highest sustained rate, and the runtime
/// signals of the topology during the search. For an interleaved search,
/// <see cref="InterleavingValidBelow"/> is the per-variant rate at which the first variant broke:
/// from there on an interleaved run measures the saturated system, not the variants.
/// </summary>
public sealed record CapacityResult(
    string Scenario,
    string Title,
    DateTimeOffset StartedUtc,
    DateTimeOffset FinishedUtc,
    string Mode,
    double SloP99Ms,
    double MaxErrorPercent,
    double StartRate,
    double Factor,
    double StepSeconds,
    double MaxRate,
    string Profile,
    string BaseUrl,
    string Setup,
    MachineInfo Machine,
    string Commit,
    string Command,
    IReadOnlyList<VariantCapacity> Variants,
    IReadOnlyList<CapacityStep> Steps,
    double? InterleavingValidBelow,
    IReadOnlyList<ProcessSignals>? Signals = null)
{
    /// <summary>Each network link's round trip measured during the search (none on loopback; absent in older files).</summary>
    public IReadOnlyList<Links.LinkRoundTrip>? Links { get; init; }

    /// <summary>What was different about this search: its links slower than their profile (<see cref="Links.LinkRoundTrip.Mark"/>); kept apart in the log.</summary>
    public string? Condition { get; init; }
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
    public static IReadOnlyList<ServiceCost> During(CapacityStep step, IReadOnlyList<Signals.ProcessSignals> signals) =>
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
    string? Reason);
