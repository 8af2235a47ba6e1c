using System.Text;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// What an entry's page shows of where its requests' time went, beyond its latencies: the grain split of its newest run
/// that reported one (<see cref="GrainSplitSection"/>), and its newest kept trace pair span by span (<see cref="TraceDiffSection"/>).
/// Nothing where neither exists.
/// </summary>
public static class EntryTraceSections
{
    public static void Append(StringBuilder md, string id, IEnumerable<RunResult> runs, IEnumerable<RunTraces> traces)
    {
        if (runs.Where(r => r.Scenario == id && r.Variants.Any(v => v.GrainSplit is not null)).OrderByDescending(r => r.StartedUtc).FirstOrDefault() is { } split)
        {
            GrainSplitSection.Append(md, split);
        }

        TraceDiffSection.Append(md, TraceDiffSection.NewestPair(traces, id));
    }
}
