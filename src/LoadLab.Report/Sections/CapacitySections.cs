using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The log's capacity figures, from the newest capacity search per scenario, profile and mode: a
/// table at a glance near the top, and in each entry's section the capacities, the steps, the
/// latency-against-load chart and the runtime signals of each variant's climb.
/// </summary>
public static class CapacitySections
{
    /// <summary>
    /// The table near the top of the log: per scenario, profile and service level, the newest search (phased, the capacity
    /// to quote, else interleaved) with its load average, and where interleaved figures stop being valid.
    /// </summary>
    public static void AtAGlance(StringBuilder md, LogInputs inputs, IEnumerable<string> scenarios, Func<string, string> pageOf)
    {
        var rows = scenarios.SelectMany(id => inputs.HistoryOf(id).Capacities.GroupBy(c => (c.Profile, c.SloP99Ms)).Select(g => (Id: id, Searches: g.ToArray()))).ToArray();
        if (rows.Length == 0)
        {
            return;
        }

        md.Append("## Capacity at a glance\n\n");
        md.Append("The highest open-loop rate (requests/s) at which each variant keeps its P99 under the service level with at most the " +
                  "given share of errors, found by `dotnet run --project src/LoadLab -- capacity <scenario>`: the rate climbs step by step " +
                  "until the variant breaks it. *Phased*: each variant climbs with the system to itself — the capacity to quote. " +
                  "*Interleaved*: the variants climb together, as a run interleaves them; the rate at which the first one breaks is where " +
                  "interleaved figures stop being valid. The newest search of each scenario, profile and service level; \"≥\" marks a " +
                  "variant that never broke before the climb ended; the load average is the machine's when the search started, against its cores (on each entry's page).\n\n");
        md.Append("| scenario | profile | service level | mode | naive | optimized | optimized ÷ naive | interleaved figures valid below | searched | load average |\n");
        md.Append("|---|---|---|---|---:|---:|---:|---:|---|---:|\n");
        foreach (var (id, searches) in rows)
        {
            var phased = searches.FirstOrDefault(c => c.Mode == CapacityResult.Phased);
            var interleaved = searches.FirstOrDefault(c => c.Mode == CapacityResult.Interleaved);
            var shown = phased ?? interleaved!;
            var (naive, optimized) = (shown.Variants[0], shown.Variants[^1]);
            var valid = interleaved?.InterleavingValidBelow is { } rate ? Figures.Rate(rate) + " rps" : interleaved is null ? "not measured" : "did not break";
            md.Append(CultureInfo.InvariantCulture,
                $"| [`{id}`]({pageOf(id)}#{Anchor(shown)}) | `{shown.Profile}`{(RunMarks.SlowLinks(shown) ? " " + Mark.SlowLinks.Symbol : "")} | {Level(shown)} | {shown.Mode} | " +
                $"{CapacityFigures.Sustained(naive)} | {CapacityFigures.Sustained(optimized)} | {CapacityFigures.Ratio(naive, optimized)} | {valid} | " +
                $"{Figures.Date(shown.StartedUtc)} | {(shown.Machine.LoadAverage is { } load ? load.ToString("0.0", CultureInfo.InvariantCulture) : "–")} |\n");
        }

        md.Append('\n');
        if (rows.Any(r => r.Searches.Any(RunMarks.SlowLinks)))
        {
            md.Append($"{Mark.SlowLinks.Symbol} {Mark.SlowLinks.Legend}\n\n");
        }
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
            SlowestOfEachStep(md, result);
            md.Append(CultureInfo.InvariantCulture, $"![P99 against offered load per variant]({chartsLink}/{chart})\n\n");
            Folded.Append(md, "The runtime signals during each variant's climb, per process", inner => SignalTable.Append(inner, result.Signals, Windows(result),
                "From the services' `System.Runtime` meter, one sample a second; slopes in MB per minute:"));
            Folded.Append(md, "The network links during the search, probed beside the load", inner => LinkTable.Append(inner, result.Links, result.Profile));
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

    /// <summary>Where each step's P99 went: the means of its slowest requests' Server-Timing, step by step (searches that recorded them).</summary>
    private static void SlowestOfEachStep(StringBuilder md, CapacityResult result)
    {
        var steps = result.Steps.Where(step => step.Slowest is not null).ToArray();
        if (steps.Length == 0)
        {
            return;
        }

        Folded.Append(md, "Where each step's slowest 1 % spent their time", inner =>
        {
            inner.Append("The requests at or above each step's P99, in ms, means per request of the service's `Server-Timing` (as in the entry's " +
                         "\"Where the time goes\"; a broken step run again appears twice):\n\n");
            TimeSplitRows.Header(inner);
            foreach (var step in steps)
            {
                TimeSplitRows.Slowest(inner, $"{step.Variant} at {Figures.Rate(step.Rate)}/s", step.Slowest!);
            }

            inner.Append('\n');
        });
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
            $"{m.Cores} cores{Figures.LoadAverage(m, result.LoadAverageAfter)}, {m.MemoryGiB.ToString("0.#", CultureInfo.InvariantCulture)} GiB, {m.Os}, .NET {m.Dotnet}; commit `{result.Commit}`; " +
            $"{result.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC.\n\n");
        md.Append(CultureInfo.InvariantCulture,
            $"Reproduce (with the system started as `env 'Parameters__network-profile={result.Profile}' bash scripts/run.sh -c Release`):\n\n```bash\n{result.Command}\n```\n\n");
    }

    private static string Level(CapacityResult result) => string.Create(CultureInfo.InvariantCulture,
        $"P99 < {Figures.Setting(result.SloP99Ms)}, errors ≤ {result.MaxErrorPercent:0.##} %");

    public static string Anchor(CapacityResult result) =>
        string.Create(CultureInfo.InvariantCulture, $"capacity-{result.Scenario}-{result.Profile}-{result.Mode}-{result.SloP99Ms:0}ms{Figures.ConditionSuffix(result.Condition)}");
}
