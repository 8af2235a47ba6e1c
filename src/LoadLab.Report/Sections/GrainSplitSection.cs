using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// Where the grain calls' time went, per variant of a run (<see cref="GrainTimeSplit"/>): of what the caller saw, the link
/// to the silo and back, the wait in the silo before the grain ran (the activation's queue: behind other calls to the same
/// grain), and the grain's own execution — sums along each request's critical path, so they add up to part of its wall
/// time. Nothing for a run whose requests made no grain call (or whose file predates the split).
/// </summary>
public static class GrainSplitSection
{
    public const string Heading = "## Where the grain calls' time went";

    public static void Append(StringBuilder md, RunResult run)
    {
        var split = run.Variants.Where(v => v.GrainSplit is not null).ToArray();
        if (split.Length == 0)
        {
            return;
        }

        md.Append(Heading).Append("\n\n");
        md.Append(CultureInfo.InvariantCulture, $"The run of {run.StartedUtc:yyyy-MM-dd HH:mm} UTC ({Figures.Network(run)}), ");
        md.Append("from each response's `X-Perf-Grain-Path-Calls` and its " +
            "Server-Timing `grain-link`, `grain-wait`, `grain-run` and `grain-wait-max`: means per request over the requests that made a grain call, " +
            "of the calls on the request's critical path. The wait is the time between the silo receiving a call and the grain starting to run it.\n\n");
        md.Append("| variant | requests with a grain call | calls on the path | link to the silo | waiting in the silo | the grain's own run | " +
                  "longest single wait | waiting in the silo, P99 | longest single wait, P99 |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var variant in split)
        {
            var grains = variant.GrainSplit!;
            md.Append(CultureInfo.InvariantCulture,
                $"| {variant.Label} | {Figures.Count(grains.Requests)} | {Figures.Mean(grains.PathCalls)} | {Figures.Ms(grains.LinkMs)} ms | " +
                $"{Figures.Ms(grains.SiloWaitMs)} ms | {Figures.Ms(grains.RunMs)} ms | {Figures.Ms(grains.LongestSiloWaitMs)} ms | " +
                $"{Figures.Ms(grains.SiloWaitP99Ms)} ms | {Figures.Ms(grains.LongestSiloWaitP99Ms)} ms |\n");
        }

        md.Append('\n');
    }
}
