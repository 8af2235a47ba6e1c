using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// At the bottom of an entry's page, the measurements newer ones replaced — older rates and setups, runs whose P99 is
/// known to be off, runs in which a variant failed — one line each, with why it is no longer quoted. A run in which a
/// variant failed is shown without a ratio.
/// </summary>
public sealed class EarlierRunsSection : IEntrySection
{
    public void Append(StringBuilder md, EntryContext entry)
    {
        var history = entry.History;
        var runs = history.EarlierRuns;
        if (runs.Count == 0 && history.EarlierCapacities.Count == 0 && history.EarlierSweeps.Count == 0)
        {
            return;
        }

        md.Append("## Earlier runs\n\nMeasurements that newer ones replaced, newest first; nothing above is taken from them.\n\n");
        if (runs.Count > 0)
        {
            md.Append("| started (UTC) | commit | network | rate | requests a variant | first → last variant, p99 | p99 ÷ | why it is not quoted |\n|---|---|---|---:|---:|---|---:|---|\n");
            foreach (var run in runs)
            {
                var (first, last) = (run.Variants[0], run.Variants[^1]);
                var failed = RunMarks.Failed(run);
                md.Append(CultureInfo.InvariantCulture,
                    $"| {Started(run)} | `{run.Commit}` | {Figures.Network(run)}{(run.Variants.Count > 2 ? ", journey" : "")} | {Figures.Rate(run.Rate)} | {run.Variants.Min(v => v.Count)} | " +
                    $"{(failed ? "–" : $"{first.Label} {Figures.Millis(first.P99Ms)} → {last.Label} {Figures.Millis(last.P99Ms)}")} | " +
                    $"{(failed ? "–" : Figures.Ratio(first.P99Ms, last.P99Ms))} | {Why(run, history)} |\n");
            }

            md.Append('\n');
        }

        if (history.EarlierCapacities.Count > 0)
        {
            md.Append("| capacity search (UTC) | commit | network | mode, service level | naive → optimized | load average | condition |\n|---|---|---|---|---|---:|---|\n");
            foreach (var c in history.EarlierCapacities)
            {
                md.Append(CultureInfo.InvariantCulture,
                    $"| {Started(c)} | `{c.Commit}` | {c.Profile} | {c.Mode}, P99 < {Figures.Setting(c.SloP99Ms)} | " +
                    $"{CapacityFigures.Sustained(c.Variants[0])} → {CapacityFigures.Sustained(c.Variants[^1])} requests/s | {Load(c)} | {c.Condition ?? "–"} |\n");
            }

            md.Append('\n');
        }

        if (history.EarlierSweeps.Count > 0)
        {
            md.Append("| sweep (UTC) | commit | network | load average | condition |\n|---|---|---|---:|---|\n");
            foreach (var s in history.EarlierSweeps)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {Started(s)} | `{s.Commit}` | {s.Profile} | {Load(s)} | {s.Condition ?? "–"} |\n");
            }

            md.Append('\n');
        }
    }

    private static string Why(RunResult run, RunHistory history)
    {
        if (RunMarks.Failed(run))
        {
            var worst = run.Variants.MaxBy(v => v.Count == 0 ? 1 : (double)v.Errors / v.Count)!;
            return string.Create(CultureInfo.InvariantCulture, $"{worst.Label} failed {worst.Errors} of {worst.Count} requests");
        }

        var reasons = new List<string>();
        if (!RunMarks.LatenciesHold(run))
        {
            reasons.Add(string.Join("; ", RunMarks.MarksOf(run.Condition).Where(m => m != LinkRoundTrip.SlowerThanProfile)));
        }

        var setup = history.Setups.First(s => s.Earlier.Contains(run));
        if (setup.Newest is { } current)
        {
            reasons.Add(current.Rate.Equals(run.Rate) && current.Condition == run.Condition
                ? $"replaced by newer runs of {Figures.Date(current.StartedUtc)}"
                : $"replaced by the runs at {Figures.RequestsPerSecond(current.Rate)} of {Figures.Date(current.StartedUtc)}");
        }
        else
        {
            reasons.Add("no usable run of this setup since");
        }

        if (run.Variants.Any(v => v.Count < SetupRuns.EnoughRequests))
        {
            reasons.Add($"fewer than {SetupRuns.EnoughRequests} requests a variant");
        }

        return string.Join("; ", reasons);
    }

    private static string Started(ResultHeader result) => result.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Load(MeasurementHeader result) => result.Machine.LoadAverage is { } load ? load.ToString("0.0", CultureInfo.InvariantCulture) : "–";
}
