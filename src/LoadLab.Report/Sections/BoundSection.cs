using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// Measured against the physical bound (<see cref="Bound"/>): for the newest run the headline quotes, what each variant
/// was counted doing, what that costs at best on the run's probed links, and the measured p50 and P99 against it; for a
/// capacity search with the services' CPU at capacity, the most the cores allow. Says what the bound counts and leaves out.
/// </summary>
public sealed class BoundSection : IEntrySection
{
    public void Append(StringBuilder md, EntryContext entry)
    {
        var setup = entry.CurrentSetups.FirstOrDefault(s => !s.Setup.IsJourney);
        var capacities = entry.History.Capacities.Where(c => c.Mode == CapacityResult.Phased && c.Variants.Any(v => Bound.Capacity(c, v) is not null)).ToArray();
        if (setup is null && capacities.Length == 0)
        {
            return;
        }

        md.Append("## Measured against the bound\n\n");
        if (setup?.Newest is { } run)
        {
            Latency(md, run, setup.Current);
        }

        foreach (var search in capacities)
        {
            Capacity(md, search);
        }
    }

    private static void Latency(StringBuilder md, RunResult run, IReadOnlyList<RunResult> runs)
    {
        if (!RunMarks.LatenciesHold(run))
        {
            md.Append($"The newest run's latencies are not the system's ({run.Condition}): none is set against a bound.\n\n");
            return;
        }

        var bounds = Bound.Of(run);
        md.Append(CultureInfo.InvariantCulture,
            $"The best each variant could do in the newest run ({RunSections.Network(run)}, {Figures.Rate(run.Rate)} requests/s, {Figures.Date(run.StartedUtc)}), " +
            $"from what it was counted doing, each at the median round trip the run's probes measured on its link:\n\n");
        md.Append("| variant | counted | bound | p50 | bound ÷ p50 | p99 | bound ÷ p99 |\n|---|---|---:|---:|---:|---:|---:|\n");
        foreach (var b in bounds)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {b.Variant} | {(b.Parts.Count == 0 ? "nothing the bound counts" : string.Join("; ", b.Parts.Select(p => p.Describe())))} | {Figures.Millis(b.Ms)} | " +
                $"{Figures.Millis(b.P50Ms)} | {Share(b.ShareOfP50)} | {Figures.Millis(b.P99Ms)} | {Share(b.ShareOfP99)} |\n");
        }

        md.Append('\n');
        if (runs.Count > 1)
        {
            md.Append(CultureInfo.InvariantCulture, $"Across the {runs.Count} current runs, bound ÷ p50: ")
                .AppendJoin("; ", Enumerable.Range(0, run.Variants.Count).Select(i =>
                    $"{run.Variants[i].Label} {Figures.Range(runs.Where(r => r.Variants.Count == run.Variants.Count).Select(r => Bound.Of(r, r.Variants[i]).ShareOfP50), Figures.Percent)}"))
                .Append(".\n\n");
        }

        md.Append("What the bound counts: the client's round trip over its link (and the response's bytes where that link's bandwidth is limited); " +
                  "each PostgreSQL round trip and connection open; grain calls, one after another — or one round trip when they overlapped " +
                  "(their summed waits exceeded the service's time: fanned out, they cost the slowest call, not N, and beside the database " +
                  "the longer of the two counts); payment calls with the provider's configured latency. ");
        md.Append(bounds.Any(b => b.CpuCounted)
            ? "The service's CPU per request is counted: the variants ran one after the other, so each one's CPU is its own. "
            : run.Phases is { Count: > 0 }
                ? "The service's CPU is not counted: this run did not record each variant's CPU; the bound is that much below the floor. "
                : "The service's CPU is not counted: the variants ran interleaved, so neither's share of the process's CPU is known; the bound is that much below the floor. ");
        md.Append("Left out: PostgreSQL's own work (its CPU can run on several cores at once, so its sum is no floor on a query's time), " +
                  "Redis commands (the results do not count them per request), a grain call's hop from the gateway's silo to another, the " +
                  "client's HTTP stack, queueing, the links' tails and the lab itself — what separates the measured figures from the bound.\n\n");
    }

    private static void Capacity(StringBuilder md, CapacityResult search)
    {
        md.Append(CultureInfo.InvariantCulture,
            $"Capacity (phased search, P99 < {Figures.Setting(search.SloP99Ms)}, `{search.Profile}`, {Figures.Date(search.StartedUtc)}): at its highest held step each variant's " +
            $"services (the link proxies among them) used the CPU below; the machine's {search.Machine.Cores} cores would carry at most the rate × cores ÷ that. " +
            $"PostgreSQL's and Redis' CPU and the lab's are not counted, so the true ceiling is lower.\n\n");
        md.Append("| variant | sustained | CPU cores used | the cores allow at most | sustained ÷ that |\n|---|---:|---:|---:|---:|\n");
        foreach (var v in search.Variants)
        {
            var most = Bound.Capacity(search, v);
            md.Append(CultureInfo.InvariantCulture,
                $"| {v.Label} | {CapacityFigures.Sustained(v)} requests/s | {(v.AtCapacity is { Count: > 0 } costs ? costs.Sum(c => c.CpuCores).ToString("0.00", CultureInfo.InvariantCulture) : "–")} | " +
                $"{(most is { } m ? Figures.RequestsPerSecond(m) : "–")} | {(most is { } all && v.SustainedRate is { } rate ? Figures.Percent(rate / all) : "–")} |\n");
        }

        md.Append('\n');
    }

    private static string Share(double share) => share > 0 ? Figures.Percent(share) : "–";
}
