using System.Globalization;
using System.Text;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// What limits the entry: how much of the optimized variant's median and tail lies above its bound, and the goals set
/// for the entry — met, not yet, or out of reach by its bound — with what stands in the way.
/// </summary>
public sealed class LimitsSection : IEntrySection
{
    public void Append(StringBuilder md, EntryContext entry)
    {
        var run = entry.CurrentSetups.FirstOrDefault(s => !s.Setup.IsJourney)?.Newest;
        var goals = GoalsSection.Goals.Where(g => g.Scenario == entry.Id).ToArray();
        if (run is null && goals.Length == 0)
        {
            return;
        }

        md.Append("## What limits it\n\n");
        if (run is not null && RunMarks.LatenciesHold(run))
        {
            var optimized = Bound.Of(run, run.Variants[^1]);
            md.Append(CultureInfo.InvariantCulture,
                $"In the newest run the optimized variant's median request took {Figures.Millis(optimized.P50Ms)} against a bound of {Figures.Millis(optimized.Ms)}, " +
                $"its P99 {Figures.Millis(optimized.P99Ms)}: {Figures.Millis(Math.Max(0, optimized.P50Ms - optimized.Ms))} of the median and " +
                $"{Figures.Millis(Math.Max(0, optimized.P99Ms - optimized.Ms))} of the P99 are above what it was counted doing — the work the bound leaves out, " +
                $"queueing, the links' tails and the lab.\n\n");
        }

        if (goals.Length > 0)
        {
            GoalsSection.Append(md, entry.Inputs, entry.GoalTexts, entry.Id);
        }
    }
}
