using System.Globalization;
using System.Text.Json;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Traces;

/// <summary>What a run kept of its traces: the file beside its result (null when none), and one line that says so.</summary>
public sealed record KeptTraces(string? Path, string Summary);

/// <summary>
/// Keeps a run's representative traces: for each variant, the request nearest its p50 and the one nearest its P99 — of the
/// requests whose trace the service recorded (<see cref="VariantRecorder.Traced"/>) — read from the dashboard while the
/// system still runs, and written beside the result (<see cref="RunTraces.PathBeside"/>). When the nearest trace is gone
/// from the dashboard (it keeps the newest traces only) or is not whole there (<see cref="IsWhole"/>), the next nearest is taken. A run without a dashboard keeps none,
/// and says so; so does a run whose traces could not be read: the result stands either way.
/// </summary>
public sealed class TraceKeeper(DashboardAccess? dashboard)
{
    /// <summary>
    /// How long after the load the dashboard is given to receive the last spans: the AppHost has every resource export
    /// them every second or so, and a silo's spans of a request travel on their own.
    /// </summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How many of the requests nearest a percentile are tried before a variant is left without its trace.</summary>
    public const int Candidates = 20;

    /// <summary>
    /// When none of the nearest is held any more, the nearest among this many of the variant's newest requests are tried:
    /// the dashboard holds the newest traces only (Aspire's default is 10,000, every service's together), and in a long
    /// load — a soak's 30,000 requests a variant — the requests nearest a percentile are spread over all of it.
    /// </summary>
    public const int NewestCandidates = 1_000;

    /// <param name="keptInPhases">The variants whose traces were kept right after their phase (<see cref="KeepPhaseAsync"/>): not read again.</param>
    public async Task<KeptTraces> KeepAsync(RunResult result, IReadOnlyList<VariantRecorder> recorders, string resultPath, CancellationToken ct,
        IReadOnlyList<VariantTraces>? keptInPhases = null)
    {
        if (dashboard is null)
        {
            return new(null, "Traces: none kept (no Aspire dashboard: the system was not started by this checkout's AppHost).");
        }

        if (recorders.All(r => r.Traced.Count == 0))
        {
            return new(null, "Traces: none kept (no measured request's trace was recorded: telemetry off, or a service without the lab's traceresponse).");
        }

        var wait = result.FinishedUtc + Settle - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, ct);
        }

        using var telemetry = new DashboardTraces(dashboard);
        List<VariantTraces> variants;
        try
        {
            variants = [];
            foreach (var (figures, recorder) in result.Variants.Zip(recorders))
            {
                variants.Add(keptInPhases?.FirstOrDefault(kept => kept.Label == figures.Label)
                    ?? await VariantAsync(telemetry, figures.Label, figures.Header, recorder.Traced, figures.P50Ms, figures.P99Ms, ct));
            }
        }
        catch (Exception ex) when (IsUnreadable(ex, ct))
        {
            return new(null, $"Traces: none kept (the dashboard at {dashboard.Url} could not be read: {ex.Message}).");
        }

        var kept = variants.Sum(v => v.Traces.Count);
        if (kept == 0)
        {
            return new(null, $"Traces: none kept (the dashboard at {dashboard.Url} held no whole trace of the requests nearest each percentile: gone, or spans dropped by a service's exporter under load).");
        }

        var traces = new RunTraces { Scenario = result.Scenario, StartedUtc = result.StartedUtc, Result = Path.GetFileName(resultPath), Variants = variants };
        var path = await JsonFiles.WriteAsync(RunTraces.PathBeside(resultPath), traces, JsonFiles.Json.RunTraces, ct);
        var which = string.Join("; ", variants.Select(v => $"{v.Label} {(v.Traces.Count == 0 ? "none" : string.Join(", ", v.Traces.Select(Describe)))}"));
        return new(path, $"Traces: {kept} kept from the dashboard ({which}): {path}");
    }

    /// <summary>
    /// For a run whose variants follow one another (a phased scenario): one variant's traces, kept right after its phase,
    /// before the next phase's requests push them out of the dashboard, which holds only the newest traces — a soak's
    /// 10 minutes at 50 requests/s send 30,000. Null when there is no dashboard, nothing was traced, or none is held.
    /// </summary>
    public async Task<VariantTraces?> KeepPhaseAsync(VariantRecorder recorder, TimeSpan window, CancellationToken ct)
    {
        if (dashboard is null || recorder.Traced.Count == 0)
        {
            return null;
        }

        await Task.Delay(Settle, ct);
        var figures = VariantFigures.Of(recorder, window);
        using var telemetry = new DashboardTraces(dashboard);
        try
        {
            var kept = await VariantAsync(telemetry, figures.Label, figures.Header, recorder.Traced, figures.P50Ms, figures.P99Ms, ct);
            return kept.Traces.Count > 0 ? kept : null;
        }
        catch (Exception ex) when (IsUnreadable(ex, ct))
        {
            return null;
        }
    }

    private static async Task<VariantTraces> VariantAsync(
        DashboardTraces telemetry, string label, string header, TracedRequests traced, double p50Ms, double p99Ms, CancellationToken ct) =>
        new(label, header,
            [.. await RepresentativeAsync(telemetry, traced, RepresentativeTrace.P50, p50Ms, ct) is { } p50 ? [p50] : Array.Empty<RepresentativeTrace>(),
             .. await RepresentativeAsync(telemetry, traced, RepresentativeTrace.P99, p99Ms, ct) is { } p99 ? [p99] : Array.Empty<RepresentativeTrace>()]);

    /// <summary>The dashboard did not answer, or answered what is not its telemetry API: the run stands without traces.</summary>
    private static bool IsUnreadable(Exception ex, CancellationToken ct) =>
        ex is HttpRequestException or JsonException || (ex is TaskCanceledException && !ct.IsCancellationRequested);

    /// <summary>The trace of the recorded request nearest the percentile's value that the dashboard still holds, or null.</summary>
    private static async Task<RepresentativeTrace?> RepresentativeAsync(DashboardTraces telemetry, TracedRequests traced, string percentile, double ms, CancellationToken ct)
    {
        var microseconds = (long)Math.Round(ms * 1000);
        // The newest requests are sorted only when none of the nearest is held (a soak's variant has tens of thousands).
        IEnumerable<TracedRequest> Tried()
        {
            foreach (var request in traced.Nearest(microseconds, Candidates))
            {
                yield return request;
            }

            foreach (var request in traced.Nearest(microseconds, Candidates, NewestCandidates))
            {
                yield return request;
            }
        }

        foreach (var request in Tried().Distinct())
        {
            if (await telemetry.TraceAsync(request.TraceIdHex, ct) is { Count: > 0 } spans && IsWhole(spans))
            {
                return new RepresentativeTrace(percentile, ms, request.LatencyMicroseconds / 1000.0, request.TraceIdHex, spans);
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the dashboard holds the whole trace: one root (its parent, the lab's own request, is not exported) and
    /// every other span's parent in it. A service whose exporter fell behind under load drops spans, the request's own
    /// among them; a trace without them would be compared as if those calls had not happened.
    /// </summary>
    public static bool IsWhole(IReadOnlyList<TraceSpan> spans)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        return spans.Count(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)) == 1;
    }

    private static string Describe(RepresentativeTrace trace) =>
        string.Create(CultureInfo.InvariantCulture, $"{trace.Percentile} {trace.LatencyMs:0.###} ms ({trace.Spans.Count} spans)");
}
