using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Results;
using PerfReference.Performance;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The current runs of one setup on an entry's page: the newest run's figures per variant in absolute terms and as
/// ratios, what proves the entry beyond latency, the spread of the ratios over the runs, where the tail and the time
/// went, the chart, the links (folded), the conditions and the command that reproduces it.
/// </summary>
public static class RunSections
{
    public static void Append(StringBuilder md, IDictionary<string, string> charts, SetupRuns setup)
    {
        var result = setup.Newest!;
        var chart = $"{result.Scenario}-{ResultFiles.ProfileTag(result.Profile, result.ClientProfile)}{(setup.Setup.IsJourney ? "-journey" : "")}{Figures.ConditionSuffix(setup.Setup.Condition)}.svg";
        charts[chart] = SvgChart.Render(result);

        md.Append(CultureInfo.InvariantCulture, $"### Measured: {(setup.Setup.IsJourney ? "the journey, one fix a step, " : "")}{Network(result)}, {Figures.Rate(result.Rate)} requests/s");
        md.Append(result.Condition is { } condition ? $", {condition}\n\n" : "\n\n");

        if (setup.Setup.IsJourney)
        {
            Staircase(md, result);
        }

        Table(md, result);
        EntryFigures(md, result);
        Spread(md, result, setup.Current);
        WhereTheTailWent(md, result);
        TimeBreakdown(md, result);
        Errors(md, result);
        md.Append(CultureInfo.InvariantCulture, $"![p50 and p99 per variant]({EntryContext.ChartsLink}/{chart})\n\n");
        Folded.Append(md, "The network links during the run, probed beside the load", inner => LinkTable.Append(inner, result.Links, result.Profile));
        Conditions(md, result);
    }

    private static void Staircase(StringBuilder md, RunResult result)
    {
        var first = result.Variants[0];
        md.Append("| step | X-Perf-Variant | requests | p50 ms | p99 ms | first step ÷ this (p99) |\n|---|---|---:|---:|---:|---:|\n");
        foreach (var step in result.Variants)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {step.Label} | `{step.Header}` | {Figures.Count(step.Count)} | {Figures.Ms(step.P50Ms)} | {Figures.Ms(step.P99Ms)} | {Figures.Ratio(first.P99Ms, step.P99Ms)} |\n");
        }

        md.Append('\n');
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
    /// What the entries prove beyond latency, where a run reported it: the plan and the query's own p99 (missing-index),
    /// connection opens and their time (connection-pooling), work per second (bulk-insert), and the runtime of each
    /// variant's phase — allocations, working set, CPU of the service and of PostgreSQL, server sessions started.
    /// </summary>
    private static void EntryFigures(StringBuilder md, RunResult result)
    {
        var columns = new List<(string Header, Func<VariantResult, string> Figure)>();
        if (result.Variants.Any(v => v.DbPlan is not null))
        {
            columns.Add(("plan (scan of the table)", v => v.DbPlan is { } plan ? $"`{plan}`" : "–"));
            columns.Add(("query p99 ms", v => v.DbP99Ms is { } ms ? Figures.Ms(ms) : "–"));
        }

        if (result.Variants.Any(v => v.MeanOf(PerfCounter.DbConnectionOpens) > 0.5))
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
    /// Every current run, not only the newest: the ratio of the first row to the last in each, lowest, median and
    /// highest — how far one run's ratio can be trusted. A ratio over a figure below what its counter resolves is left out.
    /// </summary>
    private static void Spread(StringBuilder md, RunResult result, IReadOnlyList<RunResult> runs)
    {
        if (runs.Count < 2)
        {
            return;
        }

        static double[] Of(IEnumerable<RunResult> runs, Func<VariantResult, double> figure, double resolution = 0) =>
            [.. runs.Where(r => figure(r.Variants[^1]) >= resolution && figure(r.Variants[^1]) > 0).Select(r => figure(r.Variants[0]) / figure(r.Variants[^1]))];

        var (first, last) = (result.Variants[0].Label, result.Variants[^1].Label);
        md.Append(CultureInfo.InvariantCulture,
            $"Across the {runs.Count} current runs ({first} ÷ {last}, lowest / median / highest): p99 {Figures.Spread(Of(runs, v => v.P99Ms))}, " +
            $"p50 {Figures.Spread(Of(runs, v => v.P50Ms))}, mean {Figures.Spread(Of(runs, v => v.MeanMs))}");
        if (runs.All(r => r.Variants.All(v => v.DbP99Ms is not null)) && runs.Any(r => r.Variants[0].DbP99Ms >= Figures.ServerTimingResolutionMs))
        {
            var query = Of(runs, v => v.DbP99Ms!.Value, Figures.ServerTimingResolutionMs);
            md.Append(query.Length == runs.Count
                ? $", query p99 {Figures.Spread(query)}"
                : $", query p99 – ({last}'s is below the {Figures.Millis(Figures.ServerTimingResolutionMs)} `Server-Timing` resolves: no time in PostgreSQL to divide by)");
        }

        if (runs.All(r => r.Variants.All(v => v.Runtime is not null)))
        {
            md.Append(CultureInfo.InvariantCulture, $", allocated per request {Figures.Spread(Of(runs, v => v.Runtime!.AllocatedBytesPerRequest))}");
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
            $"{v.Label} p99 {Figures.Millis(v.P99Ms)}, in the service {Figures.Millis(v.ServerP99Ms!.Value)}, the lab sent late by {Figures.Millis(v.SendLatenessP99Ms!.Value)} at p99 (max {Figures.Millis(v.SendLatenessMaxMs ?? 0)})"))));
        md.Append(". A P99 well above the service's was spent between the lab and the service: on the network, in a queue before the service, or in the lab.\n\n");
    }

    /// <summary>
    /// Where each variant's time goes, from the service's Server-Timing (means per request): waiting on each dependency,
    /// the rest of the service's own time, and what lies outside the service. Calls made at once (a fan-out) add up to more
    /// than the time they took: such a sum is not a duration, and is not shown as one. Below the means, the same columns for
    /// each variant's slowest requests (those at or above its P99): a mean says where a typical request went, these where the tail did.
    /// </summary>
    private static void TimeBreakdown(StringBuilder md, RunResult result)
    {
        if (result.Variants.Any(v => v.MeanServerMs is null))
        {
            return; // a result file from before the service reported its timings
        }

        var tails = result.Variants.Where(v => v.Slowest is not null).ToArray();
        md.Append("Where the time goes, in ms, means per request (from the service's `Server-Timing`; a dependency's time is its calls' summed, " +
                  "\"at once\" where its calls overlapped, so that their sum is no duration)" +
                  (tails.Length > 0 ? "; the rows \"slowest 1 %\" are the same means over a variant's requests at or above its P99 alone, " +
                                      "how many and from what latency in brackets: where its tail went" : "") + ":\n\n");
        TimeSplitRows.Header(md);
        foreach (var v in result.Variants)
        {
            TimeSplitRows.Row(md, v.Label, v.MeanMs, v.MeanServerMs!.Value, v.MeanDbMs, v.MeanGrainMs, v.MeanPaymentMs);
        }

        foreach (var v in tails)
        {
            TimeSplitRows.Slowest(md, v.Label, v.Slowest!);
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
    public static string Network(RunResult result) =>
        $"profile `{result.Profile}`{(result.OwnClientProfile is { } client ? $", client link `{client}`" : "")}";

    /// <summary>The AppHost parameters the system was started with: 'Parameters__network-profile=seed', and the client's link's when it had its own.</summary>
    private static string StartedWith(RunResult result) =>
        $"'Parameters__network-profile={result.Profile}'{(result.OwnClientProfile is { } client ? $" 'Parameters__client-network-profile={client}'" : "")}";
}
