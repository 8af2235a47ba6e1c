using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The log's capacity figures, from the newest capacity search per scenario, profile and mode: a
/// table at a glance near the top, and in each entry's section the capacities, the steps, the
/// latency-against-load chart and the runtime signals of each variant's climb.
/// </summary>
public static class CapacitySections
{
    /// <summary>The newest search per scenario, profile and mode, nearest network first, phased before interleaved.</summary>
    public static IReadOnlyList<CapacityResult> Newest(IReadOnlyList<CapacityResult> results) =>
        [.. results
            .GroupBy(r => string.Create(CultureInfo.InvariantCulture, $"{r.Scenario}|{r.Profile}|{r.Mode}|{r.SloP99Ms}|{r.Condition}"), StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(r => r.StartedUtc).ThenBy(r => r.Command, StringComparer.Ordinal).First())
            .OrderBy(r => r.Scenario, StringComparer.Ordinal)
            .ThenBy(r => ProfileOrder(r.Profile)).ThenBy(r => r.Profile, StringComparer.Ordinal)
            .ThenBy(r => r.SloP99Ms)
            .ThenBy(r => r.Mode == "phased" ? 0 : 1)
            .ThenBy(r => r.Condition ?? "", StringComparer.Ordinal)];

    public static void AtAGlance(StringBuilder md, IReadOnlyList<CapacityResult> capacities)
    {
        if (capacities.Count == 0)
        {
            return;
        }

        md.Append("## Capacity at a glance\n\n");
        md.Append("The highest open-loop rate (requests/s) at which each variant keeps its P99 under the service level with at most the " +
                  "given share of errors, found by `dotnet run --project src/LoadLab -- capacity <scenario>`: the rate climbs step by step " +
                  "until the variant breaks it. *Phased*: each variant climbs with the system to itself — the capacity to quote. " +
                  "*Interleaved*: the variants climb together, as a run interleaves them; the rate at which the first one breaks is where " +
                  "interleaved figures stop being valid, because from there on the saturated variant slows its neighbour down. " +
                  "\"≥\" marks a variant that never broke before the climb ended.\n\n");
        md.Append("| scenario | profile | service level | naive | optimized | optimized ÷ naive | interleaved figures valid below (per variant) |\n");
        md.Append("|---|---|---|---:|---:|---:|---:|\n");
        foreach (var group in capacities.GroupBy(c => (c.Scenario, c.Profile, c.SloP99Ms)))
        {
            var phased = group.FirstOrDefault(c => c.Mode == "phased");
            var interleaved = group.FirstOrDefault(c => c.Mode == "interleaved");
            var shown = phased ?? interleaved!;
            var (naive, optimized) = (shown.Variants[0], shown.Variants[^1]);
            var valid = interleaved?.InterleavingValidBelow is { } rate ? Figures.Rate(rate) + " rps" : interleaved is null ? "not measured" : "did not break";
            md.Append(CultureInfo.InvariantCulture,
                $"| [`{group.Key.Scenario}`](#{Anchor(shown)}) | `{group.Key.Profile}` | {Level(shown)} | {CapacityFigures.Sustained(naive)} | {CapacityFigures.Sustained(optimized)} | " +
                $"{CapacityFigures.Ratio(naive, optimized)} | {valid} |\n");
        }

        md.Append('\n');
    }

    public static void Append(StringBuilder md, IDictionary<string, string> charts, string chartsLink, IEnumerable<CapacityResult> capacities)
    {
        foreach (var result in capacities)
        {
            var chart = $"{Anchor(result)}.svg";
            charts[chart] = CapacityChart.Render(result);
            md.Append(CultureInfo.InvariantCulture,
                $"### <a id=\"{Anchor(result)}\"></a>Capacity: profile `{result.Profile}`, {result.Mode}, {Level(result)}{(result.Condition is { } condition ? ", " + condition : "")}\n\n");
            Capacities(md, result);
            Steps(md, result);
            md.Append(CultureInfo.InvariantCulture, $"![P99 against offered load per variant]({chartsLink}/{chart})\n\n");
            SignalTable.Append(md, result.Signals, Windows(result),
                "Runtime signals during each variant's climb (`System.Runtime` meter, one sample a second; slopes in MB per minute):");
            LinkTable.Append(md, result.Links, result.Profile);
            Conditions(md, result);
        }
    }

    private static void Capacities(StringBuilder md, CapacityResult result)
    {
        var baseline = result.Variants[0];
        md.Append("| variant | highest sustained rate (requests/s) | broke at (requests/s) | because | × first row |\n|---|---:|---:|---|---:|\n");
        foreach (var v in result.Variants)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {v.Label} | {CapacityFigures.Sustained(v)} | {(v.BrokeAtRate is { } rate ? Figures.Rate(rate) : "–")} | {v.BrokeBecause ?? "did not break"} | {CapacityFigures.Ratio(baseline, v)} |\n");
        }

        md.Append('\n');
        var costs = result.Variants.Where(v => v.AtCapacity is { Count: > 0 }).ToArray();
        if (costs.Length > 0)
        {
            md.Append("What each service's CPU carried at the variant's capacity (mean over its highest held step; all processes of a service together):\n\n");
            md.Append("| variant | service | processes | CPU cores | requests/s per core |\n|---|---|---:|---:|---:|\n");
            foreach (var v in costs)
            {
                foreach (var cost in v.AtCapacity!)
                {
                    md.Append(CultureInfo.InvariantCulture,
                        $"| {v.Label} | {cost.Service} | {cost.Processes} | {cost.CpuCores:0.00} | {(cost.RequestsPerCore is { } perCore ? Figures.Rate(perCore) : "–")} |\n");
                }
            }

            md.Append('\n');
        }

        if (result.Mode == "interleaved")
        {
            md.Append(result.InterleavingValidBelow is { } valid
                ? string.Create(CultureInfo.InvariantCulture,
                    $"Interleaved, the first variant broke the service level at {Figures.Rate(valid)} requests/s per variant: an interleaved run at that rate or above measures a saturated system — the variant past its capacity drags the other one down — so the log's interleaved runs stay below it.\n\n")
                : "Interleaved, no variant broke the service level within the climb: interleaved runs up to its last rate are valid.\n\n");
        }
    }

    /// <summary>One row per rate, one column pair (P99, verdict) per variant.</summary>
    private static void Steps(StringBuilder md, CapacityResult result)
    {
        md.Append("| rate per variant (requests/s) |");
        foreach (var v in result.Variants)
        {
            md.Append(CultureInfo.InvariantCulture, $" {v.Label}: requests | p50 ms | p99 ms | errors |");
        }

        md.Append("\n|---:|").Append(string.Concat(Enumerable.Repeat("---:|---:|---:|---:|", result.Variants.Count))).Append('\n');
        foreach (var rate in result.Steps.Select(s => s.Rate).Distinct().Order())
        {
            md.Append(CultureInfo.InvariantCulture, $"| {Figures.Rate(rate)} |");
            foreach (var v in result.Variants)
            {
                // A broken step was run again at the same rate: both attempts, in order.
                var attempts = result.Steps.Where(s => s.Variant == v.Label && s.Rate == rate).ToArray();
                string Cells(Func<CapacityStep, string> cell) => string.Join(" / ", attempts.Select(cell));
                md.Append(attempts.Length == 0
                    ? " | | | |"
                    : $" {Cells(a => Figures.Count(a.Requests))} | {Cells(a => Figures.Ms(a.P50Ms))} | " +
                      $"{Cells(a => a.Held ? Figures.Ms(a.P99Ms) : $"**{Figures.Ms(a.P99Ms)}**")} | {Cells(a => Figures.Count(a.Errors))} |");
            }

            md.Append('\n');
        }

        md.Append("\nA P99 in bold broke the service level; a broken step is run once more at the same rate (\"first / again\"), and only a second break ends the climb.\n\n");
    }

    /// <summary>Each variant's climb (phased), or the whole search (interleaved).</summary>
    private static IReadOnlyList<SignalTable.Window> Windows(CapacityResult result) =>
        result.Mode == "phased"
            ? [.. result.Variants
                .Select(v => (v.Label, Steps: result.Steps.Where(s => s.Variant == v.Label).ToArray()))
                .Where(v => v.Steps.Length > 0)
                .Select(v => new SignalTable.Window(v.Label, v.Steps.Min(s => s.FromSeconds), v.Steps.Max(s => s.ToSeconds)))]
            : [new SignalTable.Window(null, double.MinValue, double.MaxValue)];

    private static void Conditions(StringBuilder md, CapacityResult result)
    {
        var m = result.Machine;
        md.Append(CultureInfo.InvariantCulture,
            $"Conditions: network profile `{result.Profile}`; open loop, {Figures.Rate(result.StepSeconds)} s per step, the rate ×{result.Factor.ToString("0.##", CultureInfo.InvariantCulture)} " +
            $"from {Figures.Rate(result.StartRate)} requests/s per variant up to {Figures.Rate(result.MaxRate)}; {result.Setup}; " +
            $"{m.Cores} cores{Figures.LoadAverage(m)}, {m.MemoryGiB.ToString("0.#", CultureInfo.InvariantCulture)} GiB, {m.Os}, .NET {m.Dotnet}; commit `{result.Commit}`; " +
            $"{result.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC.\n\n");
        md.Append(CultureInfo.InvariantCulture,
            $"Reproduce (with the system started as `env 'Parameters__network-profile={result.Profile}' bash scripts/run.sh -c Release`):\n\n```bash\n{result.Command}\n```\n\n");
    }

    private static string Level(CapacityResult result) => string.Create(CultureInfo.InvariantCulture,
        $"P99 < {Figures.Ms(result.SloP99Ms)} ms, errors ≤ {result.MaxErrorPercent:0.##} %");

    private static string Anchor(CapacityResult result) =>
        string.Create(CultureInfo.InvariantCulture, $"capacity-{result.Scenario}-{result.Profile}-{result.Mode}-{result.SloP99Ms:0}ms{Figures.ConditionSuffix(result.Condition)}");

    private static int ProfileOrder(string profile) =>
        NetworkProfile.All.Select(p => p.Name).ToList().IndexOf(profile) is var index and >= 0 ? index : int.MaxValue;
}
