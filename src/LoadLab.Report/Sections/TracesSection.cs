using System.Text;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// Where an entry's requests spent their time, beyond their latencies: the grain split of its newest run that reported one
/// (<see cref="GrainSplitSection"/>), and its newest kept trace pair span by span (<see cref="TraceDiffSection"/>).
/// Nothing where neither exists.
/// </summary>
public sealed class TracesSection : IEntrySection
{
    public void Append(StringBuilder md, EntryContext entry)
    {
        if (entry.Inputs.Runs.Where(r => r.Scenario == entry.Id && r.Variants.Any(v => v.GrainSplit is not null))
                .OrderByDescending(r => r.StartedUtc).FirstOrDefault() is { } split)
        {
            GrainSplitSection.Append(md, split);
        }

        TraceDiffSection.Append(md, TraceDiffSection.NewestPair(entry.Inputs.Traces, entry.Id));
    }
}
