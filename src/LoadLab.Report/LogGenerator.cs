using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Results;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Report;

/// <summary>The generated log: the markdown, and the charts it links to (file name → SVG).</summary>
public sealed record LogDocument(string Markdown, IReadOnlyDictionary<string, string> Charts);

/// <summary>
/// Builds docs/optimizations.md from the result files and the hand-written text of each entry
/// (docs/log/&lt;entry-id&gt;.md). Every figure comes from a result file; the output depends on
/// nothing else (no clock, no culture, no file order), so the same inputs give the same bytes.
/// </summary>
public sealed class LogGenerator(string textsDirectory, string chartsLink)
{
    /// <summary>The hand-written text of the ceiling's section (docs/log/ceiling.md), optional.</summary>
    public const string CeilingText = "ceiling";

    /// <summary>
    /// The variant set decides the table's shape: a journey (more than two variants) is kept apart from naive-vs-optimized runs.
    /// A client's link with a profile of its own (a mobile client of a seed datacenter) is kept apart from the system's profile alone.
    /// </summary>
    private static string Key(RunResult r) => $"{r.Scenario}|{r.Profile}|{r.OwnClientProfile}|{r.Variants.Count}|{r.Condition}";

    /// <summary>The traces runs kept beside their results (results/&lt;scenario&gt;/*.traces.json).</summary>
    public IReadOnlyList<RunTraces> Traces { get; init; } = [];

    public LogDocument Generate(
        IReadOnlyList<RunResult> results, IReadOnlyList<CapacityResult>? capacityResults = null, IReadOnlyList<SweepResult>? sweepResults = null,
        IReadOnlyList<CeilingResult>? ceilingResults = null, IReadOnlyList<ProxyCostResult>? proxyCostResults = null)
    {
        var runs = results.GroupBy(Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        var newest = runs.Values
            .Select(g => g.OrderByDescending(r => r.StartedUtc).ThenBy(r => r.Command, StringComparer.Ordinal).First())
            .OrderBy(r => ProfileOrder(r.Profile)).ThenBy(r => r.Profile, StringComparer.Ordinal)
            .ThenBy(r => r.OwnClientProfile is { } client ? ProfileOrder(client) : -1).ThenBy(r => r.Variants.Count)
            .ThenBy(r => r.Condition ?? "", StringComparer.Ordinal)
            .ToArray();
        var capacities = CapacitySections.Newest(capacityResults ?? []);
        var sweeps = SweepSections.Newest(sweepResults ?? []);

        var md = new StringBuilder();
        var charts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Header(md);
        Catalog(md);
        CapacitySections.AtAGlance(md, capacities);
        GoalsSection.Append(md, new GoalsSection.Inputs(results, capacityResults ?? [], ceilingResults ?? []),
            TextPath(GoalsSection.TextName) is { } goalsText ? EntryText.Load(goalsText, requireLabels: false) : null);

        var journey = newest.Where(r => r.Scenario == PerfCatalog.SeedCheckoutScenario).ToArray();
        if (journey.Length > 0)
        {
            md.Append("## The seed checkout: everything naive against everything optimized\n\n");
            if (TextPath(PerfCatalog.SeedCheckoutScenario) is { } journeyText)
            {
                md.Append(EntryText.Load(journeyText, requireLabels: false)).Append("\n\n");
            }

            foreach (var result in journey)
            {
                Measured(md, charts, result, runs[Key(result)]);
            }

            CapacitySections.Append(md, charts, chartsLink, capacities.Where(c => c.Scenario == PerfCatalog.SeedCheckoutScenario));
            SweepSections.Append(md, sweeps.Where(s => s.Scenario == PerfCatalog.SeedCheckoutScenario));
        }

        var unmeasured = new List<string>();
        var number = 0;
        foreach (var entry in PerfCatalog.All)
        {
            var measured = newest.Where(r => r.Scenario == entry.Id).ToArray();
            var text = TextPath(entry.Id);
            if (text is null || measured.Length == 0)
            {
                unmeasured.Add($"- `{entry.Id}` — {entry.Title}: {(text is null ? $"no write-up yet (docs/log/{entry.Id}.md)" : "written up")}, " +
                               $"{(measured.Length == 0 ? "no result file yet" : "measured")}.");
            }

            if (text is null)
            {
                continue;
            }

            md.Append(CultureInfo.InvariantCulture, $"## {++number}. {entry.Title} (`{entry.Id}`)\n\n");
            md.Append(WithSignals(EntryText.Load(text), measured)).Append("\n\n");
            foreach (var result in measured)
            {
                Measured(md, charts, result, runs[Key(result)]);
            }

            EntryTraceSections.Append(md, entry.Id, measured, Traces);
            CapacitySections.Append(md, charts, chartsLink, capacities.Where(c => c.Scenario == entry.Id));
            SweepSections.Append(md, sweeps.Where(s => s.Scenario == entry.Id));
        }

        CeilingSections.Append(md, ceilingResults ?? [], TextPath(CeilingText) is { } ceilingText ? EntryText.Load(ceilingText, requireLabels: false) : null);
        ProxyCostSection.Append(md, proxyCostResults ?? []);

        if (unmeasured.Count > 0)
        {
            md.Append("## Not yet measured\n\n");
            md.Append(string.Join("\n", unmeasured)).Append('\n');
        }

        return new LogDocument(md.ToString().TrimEnd('\n') + "\n", charts);
    }

    /// <summary>
    /// The entry's text with the runtime signals of its newest measured run placed right after the
    /// Detection paragraph: what that paragraph tells the reader to look for, as the run recorded it.
    /// </summary>
    private static string WithSignals(string text, IReadOnlyList<RunResult> measured)
    {
        var run = measured.Where(r => r.Signals is { Count: > 0 } || r.HeapDumps is { Count: > 0 }).OrderByDescending(r => r.StartedUtc).FirstOrDefault();
        if (run is null)
        {
            return text;
        }

        var paragraphs = text.Split("\n\n").ToList();
        var detection = paragraphs.FindIndex(p => p.StartsWith("**Detection.**", StringComparison.Ordinal));
        if (detection < 0)
        {
            return text;
        }

        var windows = run.Phases is { Count: > 0 } phases
            ? phases.Select(p => new SignalTable.Window(p.Variant, p.FromSeconds, p.ToSeconds)).ToArray()
            : [new SignalTable.Window(null, double.MinValue, double.MaxValue)];
        var table = new StringBuilder();
        var how = run.Phases is { Count: > 0 } ? "one variant after the other" : "naive and optimized interleaved";
        SignalTable.Append(table, run.Signals, windows,
            $"Runtime signals of the newest run ({Network(run)}, {Figures.Rate(run.Rate)} requests/s, {how}), " +
            "from the services' `System.Runtime` meter, one sample a second; slopes in MB per minute:");
        if (run.Phases?.Where(p => p.LiveHeapGrowthMBPerMinute is not null).ToArray() is { Length: > 0 } soaked)
        {
            table.Append("OrdersService's live heap (after a full collection) before and after each phase: ")
                .AppendJoin("; ", soaked.Select(p => string.Create(CultureInfo.InvariantCulture,
                    $"{p.Variant} {p.LiveHeapMBBefore:0.0} → {p.LiveHeapMBAfter:0.0} MB ({p.LiveHeapGrowthMBPerMinute:+0.0;-0.0;0.0} MB per minute)")))
                .Append(".\n");
        }

        if (run.HeapDumps is { Count: > 0 } dumps)
        {
            table.Append("\nHeap dumps of OrdersService (`dotnet-gcdump`, taken by the lab after each phase; the largest types by bytes on the heap):\n\n");
            table.Append("| after | heap MB | objects | largest types |\n|---|---:|---:|---|\n");
            foreach (var dump in dumps)
            {
                table.Append(CultureInfo.InvariantCulture,
                    $"| {dump.Variant} | {dump.HeapBytes / (1024.0 * 1024):0.0} | {dump.HeapObjects:N0} | " +
                    $"{string.Join("; ", dump.LargestTypes.Select(t => $"`{t.Type}` {t.Bytes / (1024.0 * 1024):0.0} MB ({t.Objects:N0})"))} |\n");
            }
        }

        paragraphs.Insert(detection + 1, table.ToString().TrimEnd('\n'));
        return string.Join("\n\n", paragraphs);
    }

    private static void Header(StringBuilder md) => md.Append(
        "# Optimization log\n\n" +
        "<!-- Generated by `dotnet run --project src/LoadLab -- log` from results/ and docs/log/: edit those, not this file. -->\n\n" +
        "Every figure here comes from a result file of the load lab (`results/<scenario>/<UTC time>-<profile>.json`, the newest run " +
        "per scenario and network profile); each entry's text is `docs/log/<entry>.md`. Latencies are measured open-loop from each " +
        "request's intended send time (no coordinated omission) with naive and optimized requests interleaved in one run. They are " +
        "absolute figures of the machine named under each table; the ratios (the first row ÷ this row) are what carries over. " +
        "Under a network profile the lab also probes each link's real round trip during the run (the latency proxies share the " +
        "machine's cores with the load); a run with a link more than 20 % over its profile says so beside its figures and is kept apart.\n\n");

    /// <summary>The catalog at a glance, from <see cref="PerfCatalog"/>: each entry's naive code, its fix, what proves it, and its section.</summary>
    private void Catalog(StringBuilder md)
    {
        md.Append("## The catalog\n\n| entry | naive | optimized | proving metric | in this log |\n|---|---|---|---|---|\n");
        var section = 0;
        foreach (var entry in PerfCatalog.All)
        {
            var where = TextPath(entry.Id) is not null ? $"section {++section}" : entry.IsBuilt ? "not written up yet" : "not built yet";
            md.Append(CultureInfo.InvariantCulture, $"| `{entry.Id}` | {entry.Naive} | {entry.Optimized} | {entry.ProvingMetric} | {where} |\n");
        }

        md.Append('\n');
    }

    private void Measured(StringBuilder md, IDictionary<string, string> charts, RunResult result, IReadOnlyList<RunResult> runs)
    {
        var chart = $"{result.Scenario}-{ResultFiles.ProfileTag(result.Profile, result.ClientProfile)}{(result.Variants.Count > 2 ? "-journey" : "")}{Figures.ConditionSuffix(result.Condition)}.svg";
        charts[chart] = SvgChart.Render(result);

        md.Append(CultureInfo.InvariantCulture, $"### Measured: {Network(result)}, {Figures.Rate(result.Rate)} requests/s");
        md.Append(result.Condition is { } condition ? $", {condition}\n\n" : "\n\n");
        if (result.Variants.Count > 2)
        {
            Staircase(md, result);
        }

        Table(md, result);
        EntryFigures(md, result);
        // The heading gives the newest run's rate: the spread is over the runs at that rate, as the headlines' are.
        Spread(md, result, [.. runs.Where(r => r.Rate.Equals(result.Rate))]);
        WhereTheTailWent(md, result);
        TimeBreakdown(md, result);
        Errors(md, result);
        md.Append(CultureInfo.InvariantCulture, $"![p50 and p99 per variant]({chartsLink}/{chart})\n\n");
        LinkTable.Append(md, result.Links, result.Profile);
        Conditions(md, result);
    }

    private static void Staircase(StringBuilder md, RunResult result)
    {
        var first = result.Variants[0];
        md.Append("| step | X-Perf-Variant | p99 ms | first step ÷ this |\n|---|---|---:|---:|\n");
        foreach (var step in result.Variants)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {step.Label} | `{step.Header}` | {Figures.Ms(step.P99Ms)} | {Figures.Ratio(first.P99Ms, step.P99Ms)} |\n");
        }

        md.Append('\n');
    }

    /// <summary>
    /// What the database entries prove beyond latency, where a run reported it: the plan and the query's own p99
    /// (missing-index), connection opens and their time (connection-pooling), work per second (bulk-insert), and the
    /// runtime of each variant's phase — allocations, working set, CPU of the service and of PostgreSQL, server
    /// sessions started (unbounded-results, connection-pooling).
    /// </summary>
    private static void EntryFigures(StringBuilder md, RunResult result)
    {
        var columns = new List<(string Header, Func<VariantResult, string> Figure)>();
        if (result.Variants.Any(v => v.DbPlan is not null))
        {
            columns.Add(("plan (scan of the table)", v => v.DbPlan is { } plan ? $"`{plan}`" : "–"));
            columns.Add(("query p99 ms", v => v.DbP99Ms is { } ms ? Figures.Ms(ms) : "–"));
        }

        if (result.Variants.Any(v => v.MeanOf(PerfCounter.DbConnectionOpens) > 0))
        {
            columns.Add(("connection opens", v => Figures.Mean(v.MeanOf(PerfCounter.DbConnectionOpens))));
            columns.Add(("time to open ms", v => Figures.Mean(v.MeanDbConnectMs)));
            columns.Add(("query p99 ms, opening included", v => v.DbP99Ms is { } ms ? Figures.Ms(ms) : "–"));
        }

        if (result.Work is { } work)
        {
            columns.Add(($"{work.Unit}/s (at the mean)", v => Figures.Bytes(Math.Round(Figures.WorkRate(work.Amount, v.MeanMs)))));
        }

        if (result.Variants.Any(v => v.Runtime is not null))
        {
            columns.Add(("allocated per request", v => v.Runtime is { } r ? Figures.Bytes(r.AllocatedBytesPerRequest) : "–"));
            columns.Add(("working set MiB, start → peak", v => v.Runtime is { } r ? $"{Figures.Svg(r.WorkingSetStartMiB)} → {Figures.Svg(r.WorkingSetPeakMiB)}" : "–"));
            columns.Add(("gen2 GCs", v => v.Runtime is { } r ? Figures.Count(r.Gen2Collections) : "–"));
            columns.Add(("service CPU ms/request", v => Figures.Mean(v.Runtime?.CpuMsPerRequest)));
            if (result.Variants.Any(v => v.Runtime?.DatabaseCpuMsPerRequest is not null))
            {
                columns.Add(("PostgreSQL CPU ms/request", v => Figures.Mean(v.Runtime?.DatabaseCpuMsPerRequest)));
            }

            if (result.Variants.Any(v => v.Runtime?.DatabaseSessionsPerRequest is not null))
            {
                columns.Add(("server sessions/request", v => Figures.Mean(v.Runtime?.DatabaseSessionsPerRequest)));
            }
        }

        if (columns.Count == 0)
        {
            return;
        }

        md.Append("| variant | ").Append(string.Join(" | ", columns.Select(c => c.Header))).Append(" |\n");
        md.Append("|---|").Append(string.Concat(columns.Select(_ => "---:|"))).Append('\n');
        foreach (var v in result.Variants)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {v.Label} | ").Append(string.Join(" | ", columns.Select(c => c.Figure(v)))).Append(" |\n");
        }

        md.Append('\n');
    }

    /// <summary>
    /// Every run of this scenario under these conditions, not only the newest: the ratio of the first row to the last
    /// in each, lowest, median and highest — how far one run's headline ratio can be trusted.
    /// </summary>
    private static void Spread(StringBuilder md, RunResult result, IReadOnlyList<RunResult> runs)
    {
        if (runs.Count < 2)
        {
            return;
        }

        static string Range(IEnumerable<double> ratios) => Figures.Spread(ratios);

        static double Of(RunResult run, Func<VariantResult, double> figure) =>
            figure(run.Variants[^1]) is var last and > 0 ? figure(run.Variants[0]) / last : 0;

        var (first, last) = (result.Variants[0].Label, result.Variants[^1].Label);
        md.Append(CultureInfo.InvariantCulture,
            $"Across the {runs.Count} runs under these conditions ({first} ÷ {last}, lowest / median / highest): p99 {Range(runs.Select(r => Of(r, v => v.P99Ms)))}, " +
            $"p50 {Range(runs.Select(r => Of(r, v => v.P50Ms)))}, mean {Range(runs.Select(r => Of(r, v => v.MeanMs)))}");
        if (runs.All(r => r.Variants.All(v => v.DbP99Ms is not null)))
        {
            md.Append(CultureInfo.InvariantCulture, $", query p99 {Range(runs.Select(r => Of(r, v => v.DbP99Ms!.Value)))}");
        }

        if (runs.All(r => r.Variants.All(v => v.Runtime is not null)))
        {
            md.Append(CultureInfo.InvariantCulture, $", allocated per request {Range(runs.Select(r => Of(r, v => v.Runtime!.AllocatedBytesPerRequest)))}");
        }

        md.Append(".\n\n");
    }

    /// <summary>
    /// The tail split between the service and everything outside it, where the run recorded it: each variant's P99
    /// beside the service's own P99, and how late the lab sent its requests (which the open loop would count too).
    /// </summary>
    private static void WhereTheTailWent(StringBuilder md, RunResult result)
    {
        if (!result.Variants.All(v => v.ServerP99Ms is not null && v.SendLatenessP99Ms is not null))
        {
            return;
        }

        md.Append("Where the tail went: ").Append(string.Join("; ", result.Variants.Select(v => string.Create(CultureInfo.InvariantCulture,
            $"{v.Label} p99 {Figures.Ms(v.P99Ms)} ms, in the service {Figures.Ms(v.ServerP99Ms!.Value)} ms, the lab sent late by {Figures.Ms(v.SendLatenessP99Ms!.Value)} ms at p99 (max {Figures.Ms(v.SendLatenessMaxMs ?? 0)})"))));
        md.Append(". A P99 well above the service's was spent between the lab and the service: on the network, in a queue before the service, or in the lab.\n\n");
    }

    private static void Table(StringBuilder md, RunResult result)
    {
        var baseline = result.Variants[0];
        md.Append("| variant | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms | req/s | errors | DB round trips | grain calls | payment calls | bytes | p50 ÷ | p99 ÷ |\n");
        md.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var v in result.Variants)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {v.Label} | {Figures.Ms(v.P50Ms)} | {Figures.Ms(v.P95Ms)} | {Figures.Ms(v.P99Ms)} | {Figures.Ms(v.P999Ms)} | {Figures.Ms(v.MaxMs)} | " +
                $"{Figures.Rate(v.Throughput)} | {Figures.Count(v.Errors)} of {Figures.Count(v.Count)} | {Figures.Mean(v.MeanOf(PerfCounter.DbRoundtrips))} | {Figures.Mean(v.MeanOf(PerfCounter.GrainCalls))} | " +
                $"{Figures.Mean(v.MeanOf(PerfCounter.PaymentCalls))} | {Figures.Bytes(v.MeanBytes)} | {Figures.Ratio(baseline.P50Ms, v.P50Ms)} | {Figures.Ratio(baseline.P99Ms, v.P99Ms)} |\n");
        }

        md.Append('\n');
    }

    /// <summary>
    /// Where each variant's time goes, from the service's Server-Timing (means per request): waiting
    /// on each dependency, the rest of the service's own time (CPU, thread pool, locks), and what
    /// lies outside the service (the client link, queueing in front of it, the lab itself).
    /// </summary>
    private static void TimeBreakdown(StringBuilder md, RunResult result)
    {
        if (result.Variants.Any(v => v.MeanServerMs is null))
        {
            return; // a result file from before the service reported its timings
        }

        md.Append("Where the time goes, in ms, means per request (from the service's `Server-Timing`; dependencies summed over their calls):\n\n");
        md.Append("| variant | latency | in the service | PostgreSQL | grains | payment provider | rest of the service | outside the service |\n");
        md.Append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var v in result.Variants)
        {
            var server = v.MeanServerMs!.Value;
            var dependencies = (v.MeanDbMs ?? 0) + (v.MeanGrainMs ?? 0) + (v.MeanPaymentMs ?? 0);
            // Overlapping calls (a fan-out) can add up to more than the service's own time: then the rest is unknown.
            var rest = server >= dependencies ? Figures.Mean(server - dependencies) : "–";
            md.Append(CultureInfo.InvariantCulture,
                $"| {v.Label} | {Figures.Mean(v.MeanMs)} | {Figures.Mean(server)} | {Figures.Mean(v.MeanDbMs)} | {Figures.Mean(v.MeanGrainMs)} | " +
                $"{Figures.Mean(v.MeanPaymentMs)} | {rest} | {Figures.Mean(Math.Max(0, v.MeanMs - server))} |\n");
        }

        md.Append('\n');
    }

    private static void Errors(StringBuilder md, RunResult result)
    {
        var errors = result.Variants
            .SelectMany(v => v.ErrorsByKind.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{v.Label}: {e.Key} × {Figures.Count(e.Value)}"))
            .ToArray();
        if (errors.Length > 0)
        {
            md.Append("Errors: ").Append(string.Join("; ", errors)).Append(".\n\n");
        }
    }

    private static void Conditions(StringBuilder md, RunResult result)
    {
        var m = result.Machine;
        md.Append(CultureInfo.InvariantCulture,
            $"Conditions: network profile `{result.Profile}`{(result.OwnClientProfile is { } client ? $", the client's link (orders-link) `{client}`" : "")}; {Figures.Rate(result.Rate)} requests/s open loop for {Figures.Rate(result.DurationSeconds)} s " +
            $"after {Figures.Rate(result.WarmupSeconds)} s of warm-up (not counted), {(result.VariantsInTurn ? "variants in turn, each on its own after a full collection, 5 s at rest and its own warm-up (its runtime figures are process-wide, per request net of the rest)" : "variants interleaved round-robin")}; {result.Setup}; " +
            $"{m.Cores} cores{Figures.LoadAverage(m, result.LoadAverageAfter)}, {m.MemoryGiB.ToString("0.#", CultureInfo.InvariantCulture)} GiB, {m.Os}, .NET {m.Dotnet}; commit `{result.Commit}`; " +
            $"{result.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC. " +
            $"Ratios are the first row's figure ÷ the row's.\n\n");
        md.Append(CultureInfo.InvariantCulture,
            $"Reproduce (with the system started as `env {StartedWith(result)} bash scripts/run.sh -c Release`, the build the figures were taken with):\n\n```bash\n{result.Command}\n```\n\n");
    }

    /// <summary>"profile `seed`", and ", client link `mobile`" when the client's link had a profile of its own.</summary>
    private static string Network(RunResult result) =>
        $"profile `{result.Profile}`{(result.OwnClientProfile is { } client ? $", client link `{client}`" : "")}";

    /// <summary>The AppHost parameters the system was started with: 'Parameters__network-profile=seed', and the client's link's when it had its own.</summary>
    private static string StartedWith(RunResult result) =>
        $"'Parameters__network-profile={result.Profile}'{(result.OwnClientProfile is { } client ? $" 'Parameters__client-network-profile={client}'" : "")}";

    /// <summary>How busy the (shared) machine was, where the result recorded it.</summary>
    private string? TextPath(string id) => Path.Combine(textsDirectory, id + ".md") is var path && File.Exists(path) ? path : null;

    /// <summary>Profiles from the nearest network to the farthest, as the proxy lists them.</summary>
    internal static int ProfileOrder(string profile) =>
        NetworkProfile.All.Select(p => p.Name).ToList().IndexOf(profile) is var index and >= 0 ? index : int.MaxValue;
}
