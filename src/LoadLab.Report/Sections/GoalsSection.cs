using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Results;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The goals the project set itself: each against the newest figure measured for it — computed from the same result
/// files as the rest of the log, never typed in — and against its physical bound (<see cref="Bound"/>). A goal is
/// <b>met</b>, <b>not yet</b> met, or <b>out of reach</b>: the bound itself does not allow it (a ratio needs the optimized
/// variant faster than its round trips let it be), and then the goal becomes a share of the bound — the optimized figure
/// within <see cref="RestatedShare"/> of its floor. Where the goal is not met, docs/log/goals.md says what stands in the
/// way (one "- `key`: text" line per goal, with placeholders for its figures).
/// </summary>
public static class GoalsSection
{
    public const string Title = "The goals";

    /// <summary>The text file of the section: an introduction, then one "- `key`: what stands in the way" line per goal.</summary>
    public const string TextName = "goals";

    /// <summary>A goal the bound puts out of reach becomes this: the measured figure at least this share of the bound (within 2× of it).</summary>
    public const double RestatedShare = 0.5;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public enum State
    {
        NotYet,
        Met,
        OutOfReach,
    }

    /// <summary>
    /// A figure measured against a goal: the figure as written, where it was measured, the state, what the bound allows (or
    /// null where no bound applies), and for a goal out of reach, the restated goal's figure and whether it is met.
    /// </summary>
    public sealed record Measured(string Figure, string Where, State State, string? Bound = null, string? Restated = null, bool RestatedMet = false);

    /// <summary>One goal: its key (for its text), the scenario it belongs to (its page shows it), what it is about, the target as written, and how it is measured.</summary>
    public sealed record Goal(string Key, string? Scenario, string What, string Target, Func<LogInputs, Measured?> Measure);

    public static IReadOnlyList<Goal> Goals { get; } =
    [
        new("seed-checkout-latency", PerfCatalog.SeedCheckoutScenario, "seed checkout, everything optimized", "P99 ≤ 50 ms at ≥ 20 requests/s under `seed`",
            inputs => LatencyWithin(inputs, PerfCatalog.SeedCheckoutScenario, sloMs: 50, atLeast: 20)),
        new("seed-checkout-ratio", PerfCatalog.SeedCheckoutScenario, "seed checkout, naive ÷ optimized", "P99 ≥ 40× under `seed`",
            inputs => P99Ratio(inputs, PerfCatalog.SeedCheckoutScenario, null, atLeast: 40)),
        new("seed-checkout-capacity", PerfCatalog.SeedCheckoutScenario, "seed checkout, capacity optimized ÷ naive", "≥ 20× within P99 < 5 s under `seed`",
            inputs => CapacityRatio(inputs, PerfCatalog.SeedCheckoutScenario, sloMs: 5000, atLeast: 20)),
        new("n-plus-one-grains", CatalogIds.NPlusOneGrains, "`n-plus-one-grains`, naive ÷ optimized", "P99 ≥ 20× under `seed`",
            inputs => P99Ratio(inputs, CatalogIds.NPlusOneGrains, null, atLeast: 20)),
        new("compression", CatalogIds.Compression, "`compression`, naive ÷ optimized", "P99 ≥ 3× on a bandwidth-limited client link (`mobile`)",
            inputs => P99Ratio(inputs, CatalogIds.Compression, NetworkProfile.Mobile.Name, atLeast: 3)),
        new("cache-warming", CatalogIds.CacheWarming, "`cache-warming`, the first 1,000 requests after a restart", "P99 ≥ 5×, optimized hit ratio ≥ 99 %",
            CacheWarming),
        new("threadpool-starvation", CatalogIds.ThreadPoolStarvation, "`threadpool-starvation`, capacity optimized ÷ naive", "≥ 10× within P99 < 500 ms under `seed`",
            inputs => CapacityRatio(inputs, CatalogIds.ThreadPoolStarvation, sloMs: 500, atLeast: 10)),
        new("connection-pooling", CatalogIds.ConnectionPooling, "`connection-pooling`, naive ÷ optimized", "P99 ≥ 50×",
            inputs => P99Ratio(inputs, CatalogIds.ConnectionPooling, null, atLeast: 50)),
        new("missing-index", CatalogIds.MissingIndex, "`missing-index`, naive ÷ optimized", "P99 ≥ 100×",
            inputs => P99Ratio(inputs, CatalogIds.MissingIndex, null, atLeast: 100)),
        new("unbounded-results", CatalogIds.UnboundedResults, "`unbounded-results`, naive ÷ optimized", "P99 ≥ 10×",
            inputs => P99Ratio(inputs, CatalogIds.UnboundedResults, null, atLeast: 10)),
        new("bulk-insert", CatalogIds.BulkInsert, "`bulk-insert`, rows per second optimized ÷ naive", "≥ 20×",
            inputs => RowsRatio(inputs, CatalogIds.BulkInsert, atLeast: 20)),
        new("ceiling", null, "the optimized cached read against a bare endpoint (closed loop, telemetry on)", "≥ 50 % of its requests/s",
            Ceiling),
        new("telemetry-cost", null, "what traces and metrics cost the cached read's maximum throughput", "≤ 10 %, or sampling chosen and explained",
            TelemetryCost),
    ];

    /// <summary>The goals' table, every goal (the log's index), or those of one scenario (its page).</summary>
    public static void Append(StringBuilder md, LogInputs inputs, IReadOnlyDictionary<string, string> inTheWay, string? scenario = null)
    {
        md.Append("| goal | target | measured | the bound allows | status | what stands in the way |\n|---|---|---|---|---|---|\n");
        foreach (var goal in Goals.Where(g => scenario is null || g.Scenario == scenario))
        {
            var measured = goal.Measure(inputs);
            var why = measured is { State: State.Met } ? "" : inTheWay.GetValueOrDefault(goal.Key, "");
            md.Append(measured is null
                ? $"| {goal.What} | {goal.Target} | not measured yet | – | not yet | {why} |\n"
                : $"| {goal.What} | {goal.Target} | {measured.Figure} ({measured.Where}) | {measured.Bound ?? "–"} | {Status(measured)} | {why} |\n");
        }

        md.Append('\n');
    }

    public static string Status(Measured measured) => measured.State switch
    {
        State.Met => "**met**",
        State.OutOfReach => $"out of reach; restated as a share of the bound, {measured.Restated}: {(measured.RestatedMet ? "**met**" : "not yet")}",
        _ => "not yet",
    };

    /// <summary>The bound and what it counts, in words, for the log's index.</summary>
    public const string Explanation =
        "*The bound allows*: the most the goal's figure could reach from what the variants did — the round trips, grain and payment " +
        "calls and bytes each was counted making, at the price the run's own link probes measured (and the payment provider's " +
        "configured latency), plus the CPU the service spent per request where the variant ran alone — so a ratio " +
        "can be no better than the naive figure over the optimized variant's bound, and a capacity no higher than the cores allow " +
        "at the CPU a request took. A goal beyond that is out of reach on this topology and becomes a share of the bound: the " +
        "optimized figure within 2× of its floor. Each entry's page shows its bound, part by part, and what it leaves out.";

    /// <summary>The text's introduction (everything but the goal lines) and each goal's "what stands in the way".</summary>
    public static (string Introduction, IReadOnlyDictionary<string, string> InTheWay) Parse(string? text)
    {
        var inTheWay = new Dictionary<string, string>(StringComparer.Ordinal);
        var introduction = new StringBuilder();
        foreach (var line in (text ?? "").Split('\n'))
        {
            if (line.StartsWith("- `", StringComparison.Ordinal) && line.IndexOf("`: ", 3, StringComparison.Ordinal) is var end and > 3)
            {
                inTheWay[line[3..end]] = line[(end + 3)..].Trim();
            }
            else
            {
                introduction.Append(line).Append('\n');
            }
        }

        return (introduction.ToString().Trim('\n'), inTheWay);
    }

    /// <summary>The naive ÷ optimized P99 over the current runs, against what the optimized variant's bound allows.</summary>
    private static Measured? P99Ratio(LogInputs inputs, string scenario, string? client, double atLeast)
    {
        if (ProvingMetric.PairSetup(inputs, scenario, client) is not { } setup || !setup.Current.All(RunMarks.LatenciesHold))
        {
            return null;
        }

        var runs = setup.Current;
        var ratios = runs.Select(r => r.Variants[0].P99Ms / r.Variants[^1].P99Ms).ToArray();
        var bounds = runs.Select(r => Bound.Of(r, r.Variants[^1])).ToArray();
        var possible = Spread.Of(runs.Zip(bounds, (r, b) => b.Ms > 0 ? r.Variants[0].P99Ms / b.Ms : double.PositiveInfinity)).Median;
        return Judge($"{Figures.Ratio(Spread.Of(ratios).Median, 1)}{(runs.Count > 1 ? $" (median of {runs.Count} runs: {Figures.Spread(ratios)})" : " (one run)")}",
            Where(runs), Spread.Of(ratios).Median, atLeast, possible, Spread.Of(bounds.Select(b => b.ShareOfP99)).Median, "the optimized P99 within 2× of its bound");
    }

    /// <summary>Rows per second optimized ÷ naive at the mean, against what the optimized variant's bound allows.</summary>
    private static Measured? RowsRatio(LogInputs inputs, string scenario, double atLeast)
    {
        if (ProvingMetric.PairSetup(inputs, scenario, null) is not { } setup)
        {
            return null;
        }

        var runs = setup.Current;
        var ratios = runs.Select(r => r.Variants[0].MeanMs / r.Variants[^1].MeanMs).ToArray();
        var bounds = runs.Select(r => Bound.Of(r, r.Variants[^1])).ToArray();
        var possible = Spread.Of(runs.Zip(bounds, (r, b) => b.Ms > 0 ? r.Variants[0].MeanMs / b.Ms : double.PositiveInfinity)).Median;
        return Judge($"{Figures.Ratio(Spread.Of(ratios).Median, 1)} (median of {runs.Count} runs: {Figures.Spread(ratios)})", Where(runs),
            Spread.Of(ratios).Median, atLeast, possible, Spread.Of(runs.Zip(bounds, (r, b) => b.Ms / r.Variants[^1].MeanMs)).Median,
            "the optimized mean within 2× of its bound");
    }

    /// <summary>The phased capacity ratio, against what the optimized variant's CPU at capacity allows on this machine's cores.</summary>
    private static Measured? CapacityRatio(LogInputs inputs, string scenario, double sloMs, double atLeast)
    {
        var search = inputs.HistoryOf(scenario).Capacities.FirstOrDefault(c => c.Mode == CapacityResult.Phased && Math.Abs(c.SloP99Ms - sloMs) < 0.5);
        if (search is null)
        {
            return null;
        }

        var (naive, optimized) = (search.Variants[0], search.Variants[^1]);
        var where = $"{search.Profile}, phased search; {When(search)}";
        if (naive.SustainedRate is not > 0 || optimized.SustainedRate is null)
        {
            return new Measured(CapacityFigures.Ratio(naive, optimized) is var r && r != "–" ? r : "no ratio: a variant broke at the first step", where, State.NotYet);
        }

        var ratio = optimized.SustainedRate.Value / naive.SustainedRate.Value;
        var ceiling = Bound.Capacity(search, optimized);
        return Judge(CapacityFigures.Ratio(naive, optimized), where, ratio, atLeast, ceiling is { } c ? c / naive.SustainedRate.Value : double.PositiveInfinity,
            ceiling is { } cap ? optimized.SustainedRate.Value / cap : 0, "the optimized capacity at least half what its CPU allows");
    }

    /// <summary>A latency target at a rate: the capacity search at that service level, against the optimized variant's bound.</summary>
    private static Measured? LatencyWithin(LogInputs inputs, string scenario, double sloMs, double atLeast)
    {
        var search = inputs.HistoryOf(scenario).Capacities.FirstOrDefault(c => c.Mode == CapacityResult.Phased && Math.Abs(c.SloP99Ms - sloMs) < 0.5);
        if (search is null)
        {
            return null;
        }

        var optimized = search.Variants[^1];
        var figure = optimized.SustainedRate is null
            ? $"none: the optimized variant broke at the search's first step, {Figures.RequestsPerSecond(optimized.BrokeAtRate ?? search.StartRate)} ({optimized.BrokeBecause})"
            : $"{CapacityFigures.Sustained(optimized)} requests/s within P99 {Figures.Setting(sloMs)}";
        var runs = ProvingMetric.PairSetup(inputs, scenario, null)?.Current ?? [];
        var bounds = runs.Select(r => Bound.Of(r, r.Variants[^1])).ToArray();
        var met = optimized.SustainedRate >= atLeast;
        if (bounds.Length == 0)
        {
            return new Measured(figure, When(search), met ? State.Met : State.NotYet);
        }

        var bound = Spread.Of(bounds.Select(b => b.Ms)).Median;
        var allows = $"a P99 no lower than {Figures.Millis(bound)} (the optimized checkout's bound, median of {bounds.Length} runs)";
        return bound > sloMs
            ? new Measured(figure, When(search), State.OutOfReach, allows,
                $"the optimized P99 within 2× of its bound (it is {Within(Spread.Of(bounds.Select(b => b.ShareOfP99)).Median)})", Spread.Of(bounds.Select(b => b.ShareOfP99)).Median >= RestatedShare)
            : new Measured(figure, When(search), met ? State.Met : State.NotYet, allows);
    }

    private static Measured Judge(string figure, string where, double measured, double atLeast, double possible, double share, string restated) =>
        double.IsPositiveInfinity(possible)
            ? new Measured(figure, where, measured >= atLeast ? State.Met : State.NotYet, "no floor counted (nothing the bound counts on this topology)")
            : possible < atLeast
                ? new Measured(figure, where, State.OutOfReach, $"at most {Figures.Ratio(possible, 1)}", $"{restated} (it is {Within(share)})", share >= RestatedShare)
                : new Measured(figure, where, measured >= atLeast ? State.Met : State.NotYet, $"up to {Figures.Ratio(possible, 1)}");

    /// <summary>The P99 ratio over the runs, and the optimized variant's hit ratio: every miss is one database round trip.</summary>
    private static Measured? CacheWarming(LogInputs inputs)
    {
        var ratio = P99Ratio(inputs, CatalogIds.CacheWarming, null, atLeast: 5);
        var runs = ProvingMetric.PairSetup(inputs, CatalogIds.CacheWarming, null)?.Current ?? [];
        if (ratio is null || runs.Any(r => r.Variants[^1].MeanOf(PerfCounter.DbRoundtrips) is null))
        {
            return ratio;
        }

        var worstHits = runs.Min(r => 1 - r.Variants[^1].MeanOf(PerfCounter.DbRoundtrips)!.Value);
        return ratio with
        {
            Figure = $"{ratio.Figure}; lowest hit ratio of the runs {Figures.Percent(worstHits)}",
            State = ratio.State == State.Met && worstHits < 0.99 ? State.NotYet : ratio.State,
        };
    }

    private static Measured? Ceiling(LogInputs inputs)
    {
        // The system as it ships: a run under a condition (a setting tried against the cost of telemetry) is not it.
        var run = inputs.Ceilings.Where(c => c.Telemetry.State == TelemetryState.On && c.Condition is null).MaxBy(c => c.StartedUtc);
        return run is null
            ? null
            : new Measured($"{CeilingSections.Percent(run.Summary.Ratio.Median)} (rounds: {CeilingSections.Spread(run.Summary.Ratio)})",
                $"{run.Profile}, {run.InFlight} in flight; {When(run)}", run.Summary.GoalMet ? State.Met : State.NotYet);
    }

    /// <summary>The cost with every trace kept and, when measured, with traces sampled, each against the run with telemetry off.</summary>
    private static Measured? TelemetryCost(LogInputs inputs)
    {
        CeilingResult? Newest(string state) => inputs.Ceilings.Where(c => c.Telemetry.State == state && c.Condition is null).MaxBy(c => c.StartedUtc);
        var (on, sampled, off) = (Newest(TelemetryState.On), Newest(TelemetryState.Sampled), Newest(TelemetryState.Off));
        if (off is null || on is null)
        {
            return null;
        }

        var costs = new[] { on, sampled }.OfType<CeilingResult>()
            .Select(run => (run.Telemetry.State, Cost: CeilingSections.TelemetryCost(run.Summary.CachedRead, off.Summary.CachedRead).Median))
            .ToArray();
        return new Measured(
            string.Join(", ", costs.Select(c => $"{c.State}: {CeilingSections.Percent(c.Cost)}")),
            $"{off.Profile}, {off.InFlight} in flight; {Figures.Date(new[] { on, sampled, off }.OfType<CeilingResult>().Max(c => c.StartedUtc))}",
            costs.Any(c => c.Cost <= CeilingSections.TelemetryCostGoal) ? State.Met : State.NotYet);
    }

    /// <summary>How far a figure is from its bound: "3.6× its bound" (the share's inverse, as a reader compares it with "within 2×").</summary>
    private static string Within(double share) => share > 0 ? $"{Figures.Ratio(1, share)} its bound" : "not comparable";

    private static string Where(IReadOnlyList<RunResult> runs)
    {
        var newest = runs[0];
        return $"{Figures.Network(newest)}, {Figures.RequestsPerSecond(newest.Rate)}, ≥ {runs.Min(r => Math.Min(r.Variants[0].Count, r.Variants[^1].Count)).ToString("N0", Invariant)} requests a variant; {When(newest)}";
    }

    private static string When(MeasurementHeader result) =>
        $"{Figures.Date(result.StartedUtc)}{(RunMarks.SetupOf(result.Condition) is { } setup ? $", {setup}" : "")}{(RunMarks.SlowLinks(result) ? ", " + Mark.SlowLinks.Symbol : "")}";
}
