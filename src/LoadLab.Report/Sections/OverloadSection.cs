using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The log's overload runs: past the knee, what the service did with load it could not serve — per step, the load
/// offered as a multiple of the capacity, what was accepted (the goodput), shed (503 with Retry-After) and failed, and the
/// accepted requests' latencies — and the verdict at twice the capacity: goodput at least 90 % of the peak, and the
/// accepted requests' P99 within the service level. The newest run of each scenario, variant and profile.
/// </summary>
public static class OverloadSection
{
    public const string Title = "Overload: past the knee";

    /// <param name="heading">False on a page of its own, whose title is the section's.</param>
    public static void Append(StringBuilder md, IReadOnlyList<OverloadResult> results, bool heading = true)
    {
        var newest = results
            .GroupBy(r => $"{r.Scenario}|{r.Variant}|{r.Profile}|{r.Condition}", StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(r => r.StartedUtc).ThenBy(r => r.Command, StringComparer.Ordinal).First())
            .OrderBy(r => r.Scenario, StringComparer.Ordinal).ThenBy(r => r.Variant, StringComparer.Ordinal)
            .ThenBy(r => RunHistory.ProfileOrder(r.Profile)).ThenBy(r => r.Condition ?? "", StringComparer.Ordinal)
            .ToArray();
        if (heading)
        {
            md.Append(CultureInfo.InvariantCulture, $"## {Title}\n\n");
        }

        md.Append(CultureInfo.InvariantCulture,
            $"Offered more than it can serve, a service should shed the excess at once (503 with Retry-After) and keep serving what it " +
            $"accepts as fast as before, rather than queue until every request times out. Each run offers one variant open-loop load at " +
            $"multiples of its capacity, through OrdersService's admission control; it holds when, at {OverloadRule.Factor:0}× the capacity, " +
            $"the goodput (accepted requests a second) is at least {OverloadRule.GoodputOfPeak * 100:0} % of the highest of any step and the " +
            $"accepted requests' P99 stays within the service level.\n\n");
        if (newest.Length == 0)
        {
            md.Append("Not measured yet: `bash scripts/measure-drills.sh` against a running system (it runs the overload run after the drills).\n\n");
            return;
        }

        foreach (var result in newest)
        {
            Append(md, result);
        }
    }

    private static void Append(StringBuilder md, OverloadResult r)
    {
        md.Append(CultureInfo.InvariantCulture, $"### `{r.Scenario}`, {r.Variant}: profile `{r.Profile}`{(r.Condition is { } condition ? ", " + condition : "")}\n\n");
        md.Append("| offered | req/s | sent | accepted | goodput req/s | shed (503, Retry-After) | failed | accepted p50 ms | accepted p99 ms | accepted max ms |\n");
        md.Append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var step in r.Steps)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {step.Factor:0.##}× | {Figures.Rate(step.Rate)} | {Figures.Count(step.Sent)} | {Figures.Count(step.Accepted)} | {Figures.Rate(step.Goodput)} | " +
                $"{Figures.Count(step.Shed)} | {Figures.Count(step.Failed)} | {Figures.Ms(step.AcceptedP50Ms)} | {Figures.Ms(step.AcceptedP99Ms)} | {Figures.Ms(step.AcceptedMaxMs)} |\n");
        }

        md.Append('\n');
        if (r.Judged is { } judged)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"At {OverloadRule.Factor:0}× the capacity: goodput {Figures.Rate(judged.Goodput)} req/s, {Share(judged.Goodput, r.PeakGoodput)} of the peak " +
                $"{Figures.Rate(r.PeakGoodput)} — {(r.GoodputHeld ? "held" : "**not held**")}; the accepted requests' P99 {Figures.Ms(judged.AcceptedP99Ms)} ms " +
                $"against {Figures.Ms(r.SloP99Ms)} ms — {(r.LatencyHeld ? "held" : "**not held**")}.");
            if (judged.Failed > 0)
            {
                md.Append(" Failed: ").Append(string.Join(", ", judged.ErrorsByKind.Where(e => e.Key != ErrorKinds.Shed).OrderBy(e => e.Key, StringComparer.Ordinal)
                    .Select(e => $"{e.Key} × {Figures.Count(e.Value)}"))).Append('.');
            }

            md.Append("\n\n");
        }

        var m = r.Machine;
        md.Append(CultureInfo.InvariantCulture,
            $"Conditions: capacity {Figures.Rate(r.CapacityRate)} req/s from {r.CapacitySource}; each step {Figures.Rate(r.StepSeconds)} s, the first after " +
            $"{Figures.Rate(r.WarmupSeconds)} s of warm-up (not counted); admission control {r.Admission ?? "as the service had it (not reported)"}; " +
            $"`X-Perf-Variant: {r.Header}`; latencies from each request's intended send time; {r.Setup}; {m.Cores} cores{Figures.LoadAverage(m, r.LoadAverageAfter)}, " +
            $"{m.MemoryGiB.ToString("0.#", CultureInfo.InvariantCulture)} GiB, {m.Os}, .NET {m.Dotnet}; commit `{r.Commit}`; " +
            $"{r.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC.\n\n");
        LinkTable.Append(md, r.Links, r.Profile);
        md.Append(CultureInfo.InvariantCulture,
            $"Reproduce (with the system started as `env 'Parameters__network-profile={r.Profile}' '{LabAdmission.EnabledEnvironment}' bash scripts/run.sh -c Release`):\n\n```bash\n{r.Command}\n```\n\n");
    }

    private static string Share(double part, double whole) =>
        whole <= 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{100 * part / whole:0} %");
}
