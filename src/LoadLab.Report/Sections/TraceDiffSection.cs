using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Report.Traces;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The naive and the optimized trace of an entry side by side, span by span, from the traces its newest run kept
/// (<see cref="RunTraces"/>): which requests they are, then at the p50 and at the P99 what the fix did on the critical
/// path (spans removed, shortened, moved off it) and the time on it by service. Nothing where no run kept a pair.
/// </summary>
public static class TraceDiffSection
{
    public const string Heading = "## The naive and the optimized trace, span by span";

    /// <summary>How many kinds of call the table of changes shows at most, the largest change in time on the path first.</summary>
    public const int CallRows = 12;

    /// <summary>The newest kept traces of a scenario with a trace of its first and its last variant; null when none.</summary>
    public static RunTraces? NewestPair(IEnumerable<RunTraces> traces, string scenario) => PairsNewestFirst(traces, scenario).FirstOrDefault();

    /// <summary>The kept traces of a scenario with a trace of its first and its last variant, the newest run first.</summary>
    public static IEnumerable<RunTraces> PairsNewestFirst(IEnumerable<RunTraces> traces, string scenario) =>
        traces.Where(t => t.Scenario == scenario && t.Variants.Count >= 2 && t.Variants[0].Traces.Count > 0 && t.Variants[^1].Traces.Count > 0)
            .OrderByDescending(t => t.StartedUtc).ThenBy(t => t.Result, StringComparer.Ordinal);

    public static void Append(StringBuilder md, RunTraces? traces)
    {
        if (traces is null)
        {
            return;
        }

        var (naive, optimized) = (traces.Variants[0], traces.Variants[^1]);
        md.Append(Heading).Append("\n\n");
        md.Append(CultureInfo.InvariantCulture, $"The requests nearest each variant's p50 and P99 in the run of {traces.StartedUtc:yyyy-MM-dd HH:mm} UTC, ");
        md.Append("read from the dashboard while the system ran and kept beside its result ");
        md.Append(CultureInfo.InvariantCulture, $"(`results/{traces.Scenario}/{Path.GetFileNameWithoutExtension(traces.Result)}{RunTraces.FileSuffix}`). ");
        md.Append("The critical path is the chain of spans that decided when the request's answer was ready: walked back from its end, the child " +
                  "that ended last; a span beside a later one, or one that outlived its parent (work after the answer), is off it.\n\n");
        AppendRequests(md, traces);
        md.Append('\n');
        foreach (var percentile in new[] { RepresentativeTrace.P50, RepresentativeTrace.P99 })
        {
            if (traces.Of(naive.Label, percentile) is { } before && traces.Of(optimized.Label, percentile) is { } after
                && TraceDiff.Of(before, after) is { } diff)
            {
                Changes(md, percentile, naive.Label, optimized.Label, diff);
            }
        }
    }

    /// <summary>The pair's requests, a row each: its variant and percentile, its latency, its spans (all, on the critical path, database ones on it) and its trace id.</summary>
    public static void AppendRequests(StringBuilder md, RunTraces traces)
    {
        md.Append("| variant | percentile | the request | spans | on the critical path | database spans on it | trace |\n|---|---|---:|---:|---:|---:|---|\n");
        foreach (var variant in new[] { traces.Variants[0], traces.Variants[^1] })
        {
            foreach (var trace in variant.Traces)
            {
                var path = CriticalPath.Of(trace.Spans);
                md.Append(CultureInfo.InvariantCulture,
                    $"| {variant.Label} | {trace.Percentile} ({Figures.Ms(trace.PercentileMs)} ms) | {Figures.Ms(trace.LatencyMs)} ms | {trace.Spans.Count} | " +
                    $"{path?.Segments.Count ?? 0} | {(path is null ? 0 : TraceDiff.DatabaseSpansOnPath(path))} | `{trace.TraceId}` |\n");
            }
        }
    }

    private static void Changes(StringBuilder md, string percentile, string naive, string optimized, TraceDiff diff)
    {
        md.Append(CultureInfo.InvariantCulture, $"### At the {percentile}: what the fix changed on the critical path\n\n");
        md.Append(CultureInfo.InvariantCulture,
            $"The {naive} request took {Figures.Ms(diff.NaivePath.Root.DurationMs)} ms, the {optimized} one {Figures.Ms(diff.OptimizedPath.Root.DurationMs)} ms " +
            $"(the root span `{diff.NaivePath.Root.Service}: {diff.NaivePath.Root.Name}`). Each kind of call (a service and a span name), the time its spans alone account for on the path:\n\n");
        md.Append(CultureInfo.InvariantCulture,
            $"| call | {naive}: spans on the path (off it) | {naive}: time on the path | {optimized}: spans on the path (off it) | {optimized}: time on the path | what the fix did |\n");
        md.Append("|---|---:|---:|---:|---:|---|\n");
        foreach (var call in diff.Calls.Take(CallRows))
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| `{call.Call}` | {Spans(call.Naive)} | {Figures.Ms(call.Naive.PathMs)} ms | {Spans(call.Optimized)} | {Figures.Ms(call.Optimized.PathMs)} ms | {call.Change} |\n");
        }

        if (diff.Calls.Count > CallRows)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n{diff.Calls.Count - CallRows} more kinds of call, each with less change in time on the path, are left out.\n");
        }

        md.Append(CultureInfo.InvariantCulture, $"\n### At the {percentile}: time on the critical path by service\n\n| service | {naive} | {optimized} |\n|---|---:|---:|\n");
        foreach (var service in diff.Services)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {service.Service} | {Figures.Ms(service.NaiveMs)} ms | {Figures.Ms(service.OptimizedMs)} ms |\n");
        }

        md.Append('\n');
    }

    private static string Spans(CallCounts counts) => counts.OffPath > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{counts.OnPath} ({counts.OffPath})")
        : counts.OnPath.ToString(CultureInfo.InvariantCulture);
}
