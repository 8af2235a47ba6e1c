using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The log's section "Ceiling and the cost of telemetry": the newest ceiling measurement of each profile, number in
/// flight and telemetry state — each round's requests per second of the bare endpoint and of the optimized cached
/// read, their ratio and its spread, against the goal — and, where the newest run with telemetry on has a twin with it
/// off, what traces and metrics cost: 1 − (cached read req/s on ÷ off).
/// </summary>
public static class CeilingSections
{
    public const string Title = "Ceiling and the cost of telemetry";

    /// <summary>The goal (issue 15): traces and metrics always on cost at most this share of the maximum throughput.</summary>
    public const double TelemetryCostGoal = 0.10;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The newest measurement of each profile, number in flight and telemetry state: on before off, then the rest.</summary>
    public static IReadOnlyList<CeilingResult> Newest(IReadOnlyList<CeilingResult> results) =>
        [.. results
            .GroupBy(r => $"{r.Profile}|{r.InFlight}|{r.Telemetry.State}|{r.Condition}", StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(r => r.StartedUtc).ThenBy(r => r.Command, StringComparer.Ordinal).First())
            .OrderBy(r => RunHistory.ProfileOrder(r.Profile)).ThenBy(r => r.Profile, StringComparer.Ordinal).ThenBy(r => r.InFlight)
            .ThenBy(r => TelemetryOrder(r.Telemetry.State)).ThenBy(r => r.Telemetry.State, StringComparer.Ordinal)
            .ThenBy(r => r.Condition is null ? 0 : 1).ThenBy(r => r.Condition, StringComparer.Ordinal)];

    /// <param name="heading">With its own heading (a section); without, the page's title heads it.</param>
    public static void Append(StringBuilder md, IReadOnlyList<CeilingResult> results, string? text, bool heading = true)
    {
        if (heading)
        {
            md.Append(CultureInfo.InvariantCulture, $"## {Title}\n\n");
        }

        if (text is not null)
        {
            md.Append(text).Append("\n\n");
        }

        var newest = Newest(results);
        if (newest.Count == 0)
        {
            md.Append("Not measured yet. Against a running system (`bash scripts/run.sh -c Release`): `bash scripts/measure-ceiling.sh`; " +
                      "then again with the system started as `env 'Parameters__telemetry=off' bash scripts/run.sh -c Release`, for the cost of telemetry.\n\n");
            return;
        }

        foreach (var result in newest)
        {
            Measured(md, result);
        }

        foreach (var group in newest.GroupBy(r => (r.Profile, r.InFlight)))
        {
            // Against telemetry off as the system ships it; each other setting tried (sampled, a condition) against the same run.
            var off = group.FirstOrDefault(r => r.Telemetry.State == TelemetryState.Off && r.Condition is null)
                ?? group.FirstOrDefault(r => r.Telemetry.State == TelemetryState.Off);
            var on = group.FirstOrDefault(r => r.Telemetry.State == TelemetryState.On && r.Condition is null);
            Cost(md, on, off, group.Key.Profile, group.Key.InFlight);
            foreach (var tried in off is null ? [] : group.Where(r => r != on && r.Telemetry.State != TelemetryState.Off))
            {
                Cost(md, tried, off, group.Key.Profile, group.Key.InFlight);
            }
        }
    }

    /// <summary>A share as a percentage with one decimal: 0.5423 → "54.2 %".</summary>
    public static string Percent(double share) => (share * 100).ToString("0.0", Invariant) + " %";

    /// <summary>Lowest / median / highest of a ratio, as percentages.</summary>
    public static string Spread(Spread ratio) => $"{Percent(ratio.Lowest)} / {Percent(ratio.Median)} / {Percent(ratio.Highest)}";

    /// <summary>
    /// What telemetry costs, from the medians over the rounds of the run with it on and the run with it off; the range
    /// comes from the rounds' extremes (the best on against the worst off, and the other way round).
    /// </summary>
    public static (double Median, double Lowest, double Highest) TelemetryCost(Spread on, Spread off) =>
        (Cost(on.Median, off.Median), Cost(on.Highest, off.Lowest), Cost(on.Lowest, off.Highest));

    private static double Cost(double on, double off) => off > 0 ? 1 - on / off : 0;

    private static void Measured(StringBuilder md, CeilingResult result)
    {
        var summary = result.Summary;
        md.Append(Invariant, $"### Ceiling: profile `{result.Profile}`, {result.InFlight} in flight, telemetry {Labelled(result)}\n\n");
        md.Append("| round | bare req/s | cached read req/s | cached read ÷ bare |\n|---:|---:|---:|---:|\n");
        foreach (var round in result.Points.Select(p => p.Round).Distinct().Order())
        {
            var bare = result.Points.FirstOrDefault(p => p.Round == round && p.Target == CeilingPoint.Bare);
            var cached = result.Points.FirstOrDefault(p => p.Round == round && p.Target == CeilingPoint.CachedRead);
            md.Append(Invariant, $"| {round} | {Rate(bare)} | {Rate(cached)} | {(bare is { Throughput: > 0 } && cached is not null ? Percent(cached.Throughput / bare.Throughput) : "–")} |\n");
        }

        md.Append(Invariant,
            $"| median | {Figures.Rate(summary.Bare.Median)} | {Figures.Rate(summary.CachedRead.Median)} | {Percent(summary.Ratio.Median)} |\n\n");

        var everyRound = summary.Ratio.Lowest >= CeilingSummary.Goal;
        md.Append(Invariant,
            $"The optimized cached read keeps {Percent(summary.Ratio.Median)} of the bare endpoint's requests per second at the median of " +
            $"{result.Rounds} rounds (lowest / median / highest: {Spread(summary.Ratio)}): the goal (≥ {Percent(CeilingSummary.Goal)}) is " +
            $"{(summary.GoalMet ? everyRound ? "met, in every round" : $"met at the median, not in every round (the lowest keeps {Percent(summary.Ratio.Lowest)})" : "not met")}.\n\n");

        Errors(md, result);
        Folded.Append(md, "Where the cores went, per process", inner => Cpu(inner, result));
        Conditions(md, result);
    }

    private static string Rate(CeilingPoint? point) => point is null ? "–" : Figures.Rate(point.Throughput);

    private static void Errors(StringBuilder md, CeilingResult result)
    {
        var failed = result.Points.Where(p => p.Errors > 0).Select(p => $"round {p.Round} {p.Target} {Figures.Count(p.Errors)} of {Figures.Count(p.Requests)}").ToArray();
        if (failed.Length > 0)
        {
            md.Append("Errors (not counted in the requests per second): ").Append(string.Join("; ", failed)).Append(".\n\n");
        }

        var uncached = result.Points.Where(p => p.MeanDbRoundtrips > 0).Select(p => $"round {p.Round} {p.Target}").ToArray();
        if (uncached.Length > 0)
        {
            md.Append("PostgreSQL was queried (a cache miss, or not the code measured here) in: ").Append(string.Join("; ", uncached))
                .Append(": those rounds measured more than a cached read.\n\n");
        }
    }

    /// <summary>Where the cores went: each service process's mean CPU while each target was loaded (from the runtime signals).</summary>
    private static void Cpu(StringBuilder md, CeilingResult result)
    {
        if (result.Signals is not { Count: > 0 } signals)
        {
            return;
        }

        md.Append(signals.Any(p => p.Service == TopologyServices.Dashboard)
            ? "Mean CPU (cores) of each service process and of the Aspire dashboard while each target was loaded; the rest of the machine's cores went to the lab and Redis:\n\n"
            : "Mean CPU (cores) of each service process while each target was loaded; the rest of the machine's cores went to the lab, Redis and the dashboard:\n\n");
        md.Append("| process | bare | cached read |\n|---|---:|---:|\n");
        foreach (var (process, name) in SignalTable.Named(signals))
        {
            md.Append(Invariant, $"| {name} | {MeanCpu(process, result, CeilingPoint.Bare)} | {MeanCpu(process, result, CeilingPoint.CachedRead)} |\n");
        }

        md.Append('\n');
    }

    private static string MeanCpu(ProcessSignals process, CeilingResult result, string target)
    {
        var samples = result.Points.Where(p => p.Target == target).SelectMany(window => SamplesIn(process, window)).ToArray();
        return samples.Length == 0 ? "–" : samples.Average(s => s.CpuCores).ToString("0.00", Invariant);
    }

    /// <summary>The process's runtime samples taken while this window's target was loaded.</summary>
    private static MeterSample[] SamplesIn(ProcessSignals process, CeilingPoint window) =>
        [.. process.Samples.Where(s => s.AtSeconds > window.FromSeconds && s.AtSeconds <= window.ToSeconds)];

    private static void Conditions(StringBuilder md, CeilingResult result)
    {
        var m = result.Machine;
        md.Append(Invariant,
            $"Conditions: closed loop, {result.InFlight} requests in flight, {result.Rounds} rounds of {Figures.Rate(result.StepSeconds)} s per target " +
            $"(odd rounds the bare endpoint first, even rounds the cached read) after {Figures.Rate(result.WarmupSeconds)} s of warm-up per target (not counted); " +
            $"{result.Setup}; telemetry {TelemetryConditions(result.Telemetry)}; " +
            $"{m.Cores} cores{Figures.LoadAverage(m, result.LoadAverageAfter)}, {m.MemoryGiB.ToString("0.#", Invariant)} GiB, {m.Os}, .NET {m.Dotnet}; " +
            $"commit `{result.Commit}`; {result.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant)} UTC. " +
            $"The lab runs on the same machine and takes its share of the cores: the figures are this machine's ceiling, the ratio is what carries over.\n\n");
        var telemetry = result.Telemetry.State is TelemetryState.Off or TelemetryState.Sampled ? $" 'Parameters__telemetry={result.Telemetry.State}'" : "";
        md.Append(Invariant,
            $"Reproduce (with the system started as `env 'Parameters__network-profile={result.Profile}'{telemetry} bash scripts/run.sh -c Release`):\n\n```bash\n{result.Command}\n```\n\n");
    }

    /// <summary>"on in orders, silo ×2, payments (OTEL_METRIC_EXPORT_INTERVAL=1000)", "unknown (no service process of this checkout found)".</summary>
    private static string TelemetryConditions(TelemetryState telemetry)
    {
        if (telemetry.Processes.Count == 0)
        {
            return $"{telemetry.State} (no service process of this checkout was found on the machine)";
        }

        var where = string.Join(", ", telemetry.Processes
            .GroupBy(p => $"{p.Service} {p.State}", StringComparer.Ordinal)
            .Select(g => g.Count() == 1 ? $"{g.First().Service} {g.First().State}" : string.Create(Invariant, $"{g.First().Service} ×{g.Count()} {g.First().State}")));
        var settings = telemetry.Processes.SelectMany(p => p.Settings.Where(s => s.Key != TelemetryState.SdkDisabledVariable))
            .Select(s => $"{s.Key}={s.Value}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return $"{telemetry.State}, read from the processes' environment ({where}{(settings.Length > 0 ? "; " + string.Join(", ", settings) : "")})";
    }

    private static void Cost(StringBuilder md, CeilingResult? on, CeilingResult? off, string profile, int inFlight)
    {
        if (on is null && off is null)
        {
            return;
        }

        var sampled = on?.Telemetry.State == TelemetryState.Sampled;
        md.Append(Invariant, $"### The cost of telemetry{(sampled ? ", traces sampled" : "")}{(on?.Condition is { } tried ? $", {tried}" : "")}: profile `{profile}`, {inFlight} in flight\n\n");
        if (on is null || off is null)
        {
            md.Append(Invariant,
                $"Needs a run with telemetry {(on is null ? "on" : "off")} as well: start the system as `env 'Parameters__network-profile={profile}'" +
                $"{(on is null ? "" : " 'Parameters__telemetry=off'")} bash scripts/run.sh -c Release` and run `bash scripts/measure-ceiling.sh {profile}`.\n\n");
            return;
        }

        var dashboard = (DashboardCores(on), DashboardCores(off));
        var watched = dashboard is not (null, null);
        md.Append("| telemetry | cached read req/s, lowest / median / highest | bare req/s, lowest / median / highest | OrdersService CPU µs a cached read | ")
            .Append(watched ? "dashboard CPU cores, cached read | measured |\n|---|---:|---:|---:|---:|---|\n" : "measured |\n|---|---:|---:|---:|---|\n");
        foreach (var run in new[] { on, off })
        {
            var s = run.Summary;
            md.Append(Invariant,
                $"| {Labelled(run)} | {Rates(s.CachedRead)} | {Rates(s.Bare)} | {Micro(CpuPerRequest(run, CeilingPoint.CachedRead))} | " +
                $"{(watched ? $"{Cores(DashboardCores(run))} | " : "")}{run.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant)} UTC, commit `{run.Commit}` |\n");
        }

        var cached = TelemetryCost(on.Summary.CachedRead, off.Summary.CachedRead);
        var bare = TelemetryCost(on.Summary.Bare, off.Summary.Bare);
        md.Append(Invariant,
            $"\nWhat {(sampled ? "metrics, logs and sampled traces" : "traces and metrics")} cost the optimized cached read, " +
            $"1 − (req/s with telemetry {on.Telemetry.State} ÷ off), at the medians: **{Percent(cached.Median)}** " +
            $"(from the rounds' extremes, between {Percent(cached.Lowest)} and {Percent(cached.Highest)}); the goal (≤ {Percent(TelemetryCostGoal)}) is " +
            $"{(cached.Median <= TelemetryCostGoal ? "met" : "not met")}. The bare endpoint, where nothing but the pipeline runs: {Percent(bare.Median)} " +
            $"(between {Percent(bare.Lowest)} and {Percent(bare.Highest)}).");
        if ((CpuPerRequest(on, CeilingPoint.CachedRead), CpuPerRequest(off, CeilingPoint.CachedRead)) is ({ } withIt and > 0, { } without))
        {
            // Less CPU with telemetry than without is two runs' noise, not a negative cost.
            var share = withIt <= without
                ? "no more with it, within what separates two runs. The difference in requests per second went to processes that share this machine's cores."
                : $"{Percent(1 - without / withIt)} of the service's CPU, the share its throughput would lose if the service alone bounded it. " +
                  "The rest of the difference in requests per second went to processes that share this machine's cores.";
            md.Append(Invariant,
                $" In OrdersService itself a cached read took {Micro(withIt)} µs of CPU with telemetry {on.Telemetry.State} and {Micro(without)} µs without: {share}");
        }

        if (dashboard is ({ } receiving, { } idle))
        {
            md.Append(Invariant,
                $" The Aspire dashboard, receiving the telemetry on the same cores, used {Cores(receiving)} cores while the cached read was loaded with telemetry " +
                $"{Labelled(on)} and {Cores(idle)} with it off.");
        }

        md.Append("\n\n");
    }

    /// <summary>
    /// OrdersService's CPU per request while a target was loaded: its mean cores over each of the target's windows times the
    /// window, over the requests answered in them (from the runtime signals); null without them.
    /// </summary>
    public static double? CpuPerRequest(CeilingResult result, string target)
    {
        var orders = result.Signals?.Where(p => p.Service == TopologyServices.Orders).ToArray();
        if (orders is not { Length: 1 })
        {
            return null;
        }

        var (cpuSeconds, requests) = (0.0, 0L);
        foreach (var window in result.Points.Where(p => p.Target == target))
        {
            var samples = SamplesIn(orders[0], window);
            if (samples.Length > 0)
            {
                cpuSeconds += samples.Average(s => s.CpuCores) * (window.ToSeconds - window.FromSeconds);
                requests += window.Requests;
            }
        }

        return requests > 0 ? cpuSeconds / requests : null;
    }

    /// <summary>The dashboard's mean CPU while the cached read was loaded; null when the run did not watch it.</summary>
    public static double? DashboardCores(CeilingResult result) =>
        result.Signals?.FirstOrDefault(p => p.Service == TopologyServices.Dashboard) is { } dashboard
        && result.Points.Where(p => p.Target == CeilingPoint.CachedRead).SelectMany(window => SamplesIn(dashboard, window)).ToArray() is { Length: > 0 } samples
            ? samples.Average(s => s.CpuCores)
            : null;

    private static string Cores(double? cores) => cores is { } c ? c.ToString("0.00", Invariant) : "–";

    /// <summary>"on", "sampled", "on, the dashboard holding 1,000 traces": the telemetry state and what else was tried.</summary>
    private static string Labelled(CeilingResult result) => result.Condition is { } condition ? $"{result.Telemetry.State}, {condition}" : result.Telemetry.State;

    private static string Micro(double? seconds) => seconds is { } s ? (s * 1e6).ToString("0", Invariant) : "–";

    private static string Rates(Spread spread) => $"{Figures.Rate(spread.Lowest)} / {Figures.Rate(spread.Median)} / {Figures.Rate(spread.Highest)}";

    private static int TelemetryOrder(string state) => state switch
    {
        TelemetryState.On => 0,
        TelemetryState.Sampled => 1,
        TelemetryState.Off => 2,
        _ => 3,
    };
}
