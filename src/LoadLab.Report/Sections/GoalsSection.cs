using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Results;
using PerfReference.Performance;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The log's section "The goals": each goal the project set itself (issue 15), the newest figure measured against it
/// — computed here from the same result files as the rest of the log, never typed in — whether it is met, and for a
/// goal not met what stands in its way, in the hand-written words of docs/log/goals.md (one "- `key`: text" line per goal).
/// </summary>
public static class GoalsSection
{
    public const string Title = "The goals";

    /// <summary>The text file of the section: an introduction, then one "- `key`: what stands in the way" line per goal.</summary>
    public const string TextName = "goals";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>What the goals are measured from.</summary>
    public sealed record Inputs(IReadOnlyList<RunResult> Runs, IReadOnlyList<CapacityResult> Capacities, IReadOnlyList<CeilingResult> Ceilings);

    /// <summary>A figure measured against a goal: the figure as written, whether it meets the goal, and where it was measured.</summary>
    public sealed record Measured(string Figure, bool Met, string Where);

    /// <summary>One goal: its key (for its text), what it is about, the target as written, and how to measure it from the results.</summary>
    public sealed record Goal(string Key, string What, string Target, Func<Inputs, Measured?> Measure);

    public static IReadOnlyList<Goal> Goals { get; } =
    [
        new("seed-checkout-latency", "seed checkout, everything optimized", "P99 ≤ 50 ms at ≥ 20 requests/s under `seed`",
            inputs => SustainedWithin(inputs, PerfCatalog.SeedCheckoutScenario, "seed", sloMs: 50, atLeast: 20)),
        new("seed-checkout-ratio", "seed checkout, naive ÷ optimized", "P99 ≥ 40× under `seed`",
            inputs => RatioOfRuns(inputs, PerfCatalog.SeedCheckoutScenario, "seed", client: null, atLeast: 40)),
        new("n-plus-one-grains", "`n-plus-one-grains`, naive ÷ optimized", "P99 ≥ 20× under `seed`",
            inputs => RatioOfRuns(inputs, "n-plus-one-grains", "seed", client: null, atLeast: 20)),
        new("compression", "`compression`, naive ÷ optimized", "P99 ≥ 3× on a bandwidth-limited client link (`mobile`)",
            inputs => RatioOfRuns(inputs, "compression", "seed", client: "mobile", atLeast: 3)),
        new("cache-warming", "`cache-warming`, the first 1,000 requests after a restart", "P99 ≥ 5×, optimized hit ratio ≥ 99 %",
            CacheWarming),
        new("ceiling", "the optimized cached read against a bare endpoint (closed loop, telemetry on)", "≥ 50 % of its requests/s",
            Ceiling),
        new("telemetry-cost", "what traces and metrics cost the cached read's maximum throughput", "≤ 10 %, or sampling chosen and explained",
            TelemetryCost),
    ];

    public static void Append(StringBuilder md, Inputs inputs, string? text)
    {
        md.Append(Invariant, $"## {Title}\n\n");
        var (introduction, inTheWay) = Parse(text);
        if (introduction.Length > 0)
        {
            md.Append(introduction).Append("\n\n");
        }

        md.Append("| goal | target | measured | met | what stands in the way |\n|---|---|---|---|---|\n");
        foreach (var goal in Goals)
        {
            var measured = goal.Measure(inputs);
            var why = measured is { Met: true } ? "" : inTheWay.GetValueOrDefault(goal.Key, "");
            md.Append(measured is null
                ? $"| {goal.What} | {goal.Target} | not measured yet | – | {why} |\n"
                : $"| {goal.What} | {goal.Target} | {measured.Figure} ({measured.Where}) | {(measured.Met ? "**met**" : "not met")} | {why} |\n");
        }

        md.Append('\n');
    }

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

    private static Measured? SustainedWithin(Inputs inputs, string scenario, string profile, double sloMs, double atLeast)
    {
        var search = inputs.Capacities
            .Where(c => c.Scenario == scenario && c.Profile == profile && Math.Abs(c.SloP99Ms - sloMs) < 0.5 && c.Variants.Count > 0)
            .MaxBy(c => c.StartedUtc);
        if (search is null)
        {
            return null;
        }

        var optimized = search.Variants[^1];
        return new Measured(
            optimized.SustainedRate is null
                ? $"none: the optimized variant broke at the search's first step, {Figures.Rate(optimized.BrokeAtRate ?? search.StartRate)} requests/s ({optimized.BrokeBecause})"
                : $"{CapacityFigures.Sustained(optimized)} requests/s within P99 {Figures.Rate(sloMs)} ms",
            optimized.SustainedRate >= atLeast,
            When(search.StartedUtc, search.Condition));
    }

    /// <summary>The runs of a scenario a headline quotes, among those under this profile and client link.</summary>
    private static IReadOnlyList<RunResult> Quoted(Inputs inputs, string scenario, string profile, string? client) =>
        HeadlineRatios.QuotedRuns(inputs.Runs.Where(r => r.Profile == profile && r.OwnClientProfile == client), scenario);

    private static Measured? RatioOfRuns(Inputs inputs, string scenario, string profile, string? client, double atLeast) =>
        RatioOf(Quoted(inputs, scenario, profile, client), atLeast);

    private static Measured? RatioOf(IReadOnlyList<RunResult> runs, double atLeast)
    {
        if (runs.Count == 0)
        {
            return null;
        }

        var ratios = HeadlineRatios.Ratios(runs, v => v.P99Ms);
        var median = Spread.Of(ratios).Median;
        var newest = runs.MaxBy(r => r.StartedUtc)!;
        return new Measured(
            $"{Figures.Ratio(median, 1)}{(runs.Count > 1 ? $" (median of {runs.Count} runs: {Figures.Spread(ratios)})" : " (one run)")}",
            median >= atLeast,
            $"{Figures.Network(newest)}, {Figures.Rate(newest.Rate)} rps, {RequestsAVariant(runs)}; {When(newest.StartedUtc, null)}");
    }

    /// <summary>The P99 ratio over the runs, and the optimized variant's hit ratio: every miss is one database round trip.</summary>
    private static Measured? CacheWarming(Inputs inputs)
    {
        var runs = Quoted(inputs, "cache-warming", "seed", client: null);
        var ratio = RatioOf(runs, atLeast: 5);
        if (ratio is null || runs.Any(r => r.Variants[1].MeanOf(PerfCounter.DbRoundtrips) is null))
        {
            return ratio;
        }

        var worstHits = runs.Min(r => 1 - r.Variants[1].MeanOf(PerfCounter.DbRoundtrips)!.Value);
        return ratio with
        {
            Figure = $"{ratio.Figure}; lowest hit ratio of the runs {CeilingSections.Percent(worstHits)}",
            Met = ratio.Met && worstHits >= 0.99,
        };
    }

    private static Measured? Ceiling(Inputs inputs)
    {
        var run = inputs.Ceilings.Where(c => c.Telemetry.State == TelemetryState.On).MaxBy(c => c.StartedUtc);
        return run is null
            ? null
            : new Measured($"{CeilingSections.Percent(run.Summary.Ratio.Median)} (rounds: {CeilingSections.Spread(run.Summary.Ratio)})", run.Summary.GoalMet,
                $"{run.Profile}, {run.InFlight} in flight; {When(run.StartedUtc, null)}");
    }

    /// <summary>The cost with every trace kept and, when measured, with traces sampled, each against the run with telemetry off.</summary>
    private static Measured? TelemetryCost(Inputs inputs)
    {
        CeilingResult? Newest(string state) => inputs.Ceilings.Where(c => c.Telemetry.State == state).MaxBy(c => c.StartedUtc);
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
            costs.Any(c => c.Cost <= CeilingSections.TelemetryCostGoal),
            $"{off.Profile}, {off.InFlight} in flight; {When(new[] { on, sampled, off }.OfType<CeilingResult>().Max(c => c.StartedUtc), null)}");
    }

    private static string RequestsAVariant(IReadOnlyList<RunResult> runs) =>
        $"≥ {runs.Min(r => Math.Min(r.Variants[0].Count, r.Variants[1].Count))} requests a variant";

    private static string When(DateTimeOffset started, string? condition) =>
        $"{started.UtcDateTime.ToString("yyyy-MM-dd", Invariant)}{(condition is null ? "" : $", {condition}")}";
}
