using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The log's section "What the network links cost": the latency proxy measured like a catalog entry (results/proxy/,
/// the lab's <c>proxy-cost</c> command). For the newest measurement of each profile, proxy build and traffic: per hosting
/// arrangement, each link's probed round trip (median and P99 over the rounds' medians), what the P99 adds to the
/// profile (the proxy's tail, on this machine at that load), the traffic's own exchanges, and the CPU the proxy
/// processes spent per forwarded megabyte and as a share of a core; then whether the links kept the goal, P99 within
/// twice the profile.
/// </summary>
public static class ProxyCostSection
{
    public const string Title = "What the network links cost";

    /// <summary>The goal (issue 26): a link's probed P99 stays within this multiple of its profile's round trip.</summary>
    public const double P99Goal = 2;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The newest measurement of each profile, proxy build, traffic and runtime setting.</summary>
    public static IReadOnlyList<ProxyCostResult> Newest(IReadOnlyList<ProxyCostResult> results) =>
        [.. results
            .GroupBy(r => string.Create(Invariant, $"{r.Profile}|{r.Proxy}|{r.Links}|{r.ExchangesPerSecond}|{r.RequestBytes}|{r.ResponseBytes}|{r.BusyThreads}|{string.Join(' ', r.ProxyEnvironment)}"), StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(r => r.StartedUtc).First())
            .OrderBy(r => RunHistory.ProfileOrder(r.Profile)).ThenBy(r => r.Proxy, StringComparer.Ordinal).ThenBy(r => r.StartedUtc)];

    /// <param name="heading">False on a page of its own, whose title is the section's.</param>
    public static void Append(StringBuilder md, IReadOnlyList<ProxyCostResult> results, bool heading = true)
    {
        if (heading)
        {
            md.Append(Invariant, $"## {Title}\n\n");
        }

        md.Append("Every link of the topology runs through the latency proxy (src/LatencyProxy): what it adds beyond its profile is the lab's own " +
                  "cost, not the system's. Measured apart from the system: the lab's own traffic — request and answer exchanges at a fixed rate on " +
                  "each link — through a set of links, each hosting arrangement in turn in alternating rounds, every link probed beside it as in a run.\n\n");
        var newest = Newest(results);
        if (newest.Count == 0)
        {
            // How long the command's defaults measure: every arrangement in every round, warmed up and then measured.
            var arrangements = ProxyCostDefaults.Arrangements.Replace(",", " and ", StringComparison.Ordinal);
            md.Append(Invariant, $"Not measured yet: `dotnet run -c Release --project src/LoadLab -- proxy-cost` ({ProxyCostDefaults.Rounds} rounds of {arrangements}, each {ProxyCostDefaults.Warmup} of warm-up and {ProxyCostDefaults.Step} measured: {ProxyCostDefaults.Traffic.TotalMinutes:0.#} minutes of traffic, plus the proxies' starts; no system needs to run).\n\n");
            return;
        }

        foreach (var result in newest)
        {
            Measured(md, result);
        }
    }

    private static void Measured(StringBuilder md, ProxyCostResult result)
    {
        var profileMs = result.Points.SelectMany(p => p.Links).Select(l => l.ProfileMs).FirstOrDefault();
        md.Append(Invariant,
            $"### Proxy cost: profile `{result.Profile}`, {result.Links} links, {Figures.Rate(result.ExchangesPerSecond)} exchanges/s each" +
            $"{(result.BusyThreads > 0 ? $", {result.BusyThreads} busy threads" : "")}{(result.Proxy == "this checkout" ? "" : $", build {result.Proxy}")}" +
            $"{(result.ProxyEnvironment.Count > 0 ? $", {string.Join(" ", result.ProxyEnvironment)}" : "")}\n\n");
        md.Append("| hosting | processes | probe median ms | probe p99 ms (worst link) | p99 beyond the profile | exchange p99 ms | proxy CPU, share of a core | CPU ms per forwarded MB |\n");
        md.Append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var arrangement in result.Points.GroupBy(p => p.Arrangement, StringComparer.Ordinal))
        {
            var points = arrangement.ToArray();
            var worstP99 = Median(points.Select(p => p.WorstP99Ms ?? double.NaN));
            md.Append(Invariant,
                $"| {arrangement.Key} | {points[0].Processes} | {Figures.Ms(Median(points.SelectMany(p => p.Links).Select(l => l.MedianMs ?? double.NaN)))} | " +
                $"{Figures.Ms(worstP99)} | {Figures.Ms(worstP99 - profileMs)} | {Figures.Ms(Median(points.Select(p => p.ExchangeP99Ms)))} | " +
                $"{CeilingSections.Percent(Median(points.Select(p => p.CpuShareOfCore)))} | {Figures.Rate(Median(points.Select(p => p.CpuMsPerMegabyte)))} |\n");
        }

        md.Append('\n');
        var kept = result.Points.Where(p => p.Links.All(l => l.P99Ms is { } p99 && p99 <= P99Goal * l.ProfileMs)).Select(p => $"round {p.Round} {p.Arrangement}").ToArray();
        md.Append(Invariant,
            $"Medians over {result.Points.Select(p => p.Round).Distinct().Count()} rounds of {Figures.Rate(result.StepSeconds)} s per arrangement. Goal: every link's " +
            $"probed P99 within {Figures.Rate(P99Goal)}× its profile ({Figures.Ms(P99Goal * profileMs)} ms): " +
            $"{(kept.Length == result.Points.Count ? "kept in every round" : kept.Length == 0 ? "kept in no round" : $"kept in {string.Join(", ", kept)} only")}.\n\n");
        var m = result.Machine;
        var loads = result.Points.Select(p => p.LoadAverage).OfType<double>().ToArray();
        md.Append(Invariant,
            $"Conditions: {result.ConnectionsPerLink} connections per link, {result.RequestBytes} B requests answered with {result.ResponseBytes} B; " +
            $"each link probed every {Figures.Rate(result.ProbeIntervalMs)} ms; {m.Cores} cores, load average {(loads.Length > 0 ? $"{loads.Min():0.0}–{loads.Max():0.0}" : "unknown")} " +
            $"during the rounds, {m.Os}, .NET {m.Dotnet}; commit `{result.Commit}`; {result.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant)} UTC. " +
            $"A load average above the cores means other work shared the machine: the tail is then the machine's as much as the proxy's.\n\n");
        md.Append(Invariant, $"Reproduce:\n\n```bash\n{result.Command}\n```\n\n");
    }

    private static double Median(IEnumerable<double> values) =>
        values.Where(v => !double.IsNaN(v)).ToArray() is { Length: > 0 } known ? Spread.Of(known).Median : double.NaN;
}
