using System.Globalization;
using System.Text;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The log's index: every measured entry's newest run against its physical bound (<see cref="Bound"/>) — each variant's
/// median request beside the best it could have done from what it was counted doing, and the share that floor is of it.
/// </summary>
public static class BoundsAtAGlance
{
    public static void Append(StringBuilder md, LogInputs inputs, IEnumerable<string> scenarios, Func<string, string> pageOf)
    {
        var rows = scenarios
            .Select(id => (Id: id, Run: ProvingMetric.PairSetup(inputs, id, ProvingMetrics.For(id).ClientProfile)?.Newest ?? inputs.HistoryOf(id).Pairs.FirstOrDefault()?.Newest))
            .Where(row => row.Run is not null && RunMarks.LatenciesHold(row.Run))
            .ToArray();
        if (rows.Length == 0)
        {
            return;
        }

        md.Append("## Measured against the bound\n\n");
        md.Append("Each entry's newest run: the median request of each variant against the best it could do from what it was counted doing — " +
                  "its round trips, grain and payment calls and bytes at the run's probed link medians, the provider's configured latency, and " +
                  "the service's CPU where the variants ran alone (the entry's page lists the parts and what the bound leaves out). 100 % is the floor; the rest of the median is queueing, the links' tails, the lab and the work not counted.\n\n");
        md.Append("| entry | naive p50 | its bound | bound ÷ p50 | optimized p50 | its bound | bound ÷ p50 | run |\n|---|---:|---:|---:|---:|---:|---:|---|\n");
        foreach (var (id, run) in rows)
        {
            var (naive, optimized) = (Bound.Of(run!, run!.Variants[0]), Bound.Of(run, run.Variants[^1]));
            md.Append(CultureInfo.InvariantCulture,
                $"| [`{id}`]({pageOf(id)}#measured-against-the-bound) | {Figures.Millis(naive.P50Ms)} | {Floor(naive)} | {Share(naive)} | " +
                $"{Figures.Millis(optimized.P50Ms)} | {Floor(optimized)} | {Share(optimized)} | " +
                $"{Figures.Network(run)}, {Figures.RequestsPerSecond(run.Rate)}, {Figures.Date(run.StartedUtc)}{(optimized.CpuCounted ? "; CPU counted" : "")} |\n");
        }

        md.Append('\n');
    }

    private static string Floor(VariantBound bound) => bound.Ms > 0 ? Figures.Millis(bound.Ms) : "–";

    private static string Share(VariantBound bound) => bound.Ms > 0 ? Figures.Percent(bound.ShareOfP50) : "nothing counted";
}
