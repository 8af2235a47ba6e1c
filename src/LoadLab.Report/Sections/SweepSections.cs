using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The log's concurrency sweeps: per entry, the newest sweep of each profile as one table — each level of
/// requests in flight against each variant's throughput, P50, P99 and lock contentions, and the
/// throughput ratio of the last variant (the fix) to the first (naive).
/// </summary>
public static class SweepSections
{
    public static void Append(StringBuilder md, IEnumerable<SweepResult> sweeps)
    {
        foreach (var result in sweeps)
        {
            Append(md, result);
        }
    }

    private static void Append(StringBuilder md, SweepResult result)
    {
        var variants = result.Points.Select(p => p.Variant).Distinct(StringComparer.Ordinal).ToArray();
        md.Append(CultureInfo.InvariantCulture, $"### Concurrency sweep: profile `{result.Profile}`, closed loop{(result.Condition is { } condition ? ", " + condition : "")}\n\n");
        var m = result.Machine;
        md.Append(CultureInfo.InvariantCulture,
            $"Conditions: each variant on its own, {string.Join(", ", result.Levels)} requests in flight, {Figures.Rate(result.StepSeconds)} s each after " +
            $"{Figures.Rate(result.WarmupSeconds)} s of warm-up (not counted); latencies from each request's send; {result.Setup}; " +
            $"{m.Cores} cores{Figures.LoadAverage(m, result.LoadAverageAfter)}, {m.MemoryGiB.ToString("0.#", CultureInfo.InvariantCulture)} GiB, {m.Os}, .NET {m.Dotnet}; commit `{result.Commit}`; " +
            $"{result.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC. Lock contentions: monitor locks that had to wait, " +
            $"summed over the services' runtimes during the level.\n\n");

        md.Append("| in flight |");
        foreach (var variant in variants)
        {
            md.Append(CultureInfo.InvariantCulture, $" {variant} req/s | {variant} p50 ms | {variant} p99 ms | {variant} errors | {variant} lock contentions |");
        }

        var ratioColumn = variants.Length > 1;
        md.Append(ratioColumn ? $" throughput {variants[^1]} ÷ {variants[0]} |\n" : "\n");
        md.Append('|').Append(string.Concat(Enumerable.Repeat("---|", 1 + variants.Length * 5 + (ratioColumn ? 1 : 0)))).Append('\n');
        foreach (var level in result.Levels)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {level} |");
            var points = variants.Select(v => result.Points.FirstOrDefault(p => p.Variant == v && p.InFlight == level)).ToArray();
            foreach (var point in points)
            {
                md.Append(point is null
                    ? " | | | | |"
                    : $" {Figures.Rate(point.Throughput)} | {Figures.Ms(point.P50Ms)} | {Figures.Ms(point.P99Ms)} | {Figures.Count(point.Errors)} | " +
                      $"{(point.LockContentions is { } locks ? Figures.Count((long)Math.Round(locks)) : "–")} |");
            }

            if (ratioColumn)
            {
                md.Append(points[0] is { Throughput: > 0 } first && points[^1] is { } last
                    ? string.Create(CultureInfo.InvariantCulture, $" {last.Throughput / first.Throughput:0.0}× |")
                    : " – |");
            }

            md.Append('\n');
        }

        md.Append('\n');
        Folded.Append(md, "The network links during the sweep, probed beside the load", inner => LinkTable.Append(inner, result.Links, result.Profile));
        md.Append(CultureInfo.InvariantCulture,
            $"Reproduce (with the system started as `env 'Parameters__network-profile={result.Profile}' bash scripts/run.sh -c Release`):\n\n```bash\n{result.Command}\n```\n\n");
    }
}
