using PerfReference.Topology;

namespace PerfReference.LoadLab.Results;

/// <summary>
/// The <c>proxy-cost</c> command's defaults that decide how long it measures: each arrangement in each round is warmed
/// up and then measured for a step. Shared by the command line and the log, which says how long a measurement takes.
/// </summary>
public static class ProxyCostDefaults
{
    public const string Arrangements = ProxyCostPoint.Shared + "," + ProxyCostPoint.PerLink;

    public const int Rounds = 3;

    public const string Step = "30s";

    public const string Warmup = "5s";

    /// <summary>The traffic a measurement with the defaults sends: rounds × arrangements × (warm-up + step).</summary>
    public static TimeSpan Traffic =>
        (Durations.Parse(Warmup)!.Value + Durations.Parse(Step)!.Value) * Rounds * Arrangements.Split(',').Length;
}
