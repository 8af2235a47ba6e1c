using System.Diagnostics;
using System.Globalization;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;

namespace PerfReference.LoadLab.Engine;

/// <summary>
/// Sends load open-loop: request <c>i</c> is due at start + i / rate and is sent then, whether or
/// not earlier requests have answered, and its latency is measured from that intended time. A
/// closed-loop tool (send, wait, send) slows down with the system and so never records the
/// requests that would have queued behind a stall — the coordinated-omission error this avoids.
/// </summary>
public sealed class OpenLoopEngine(HttpClient http, LabMetrics? metrics = null, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <param name="onMeasuredRequestsBegin">Called once, when the first request after the warm-up is due.</param>
    public async Task<Measurement> RunAsync(LoadPlan plan, RequestFactory createRequest, LiveRun live, CancellationToken ct, Action? onMeasuredRequestsBegin = null)
    {
        var startedUtc = _time.GetUtcNow();
        var start = Stopwatch.GetTimestamp();
        var pending = new List<Task>();

        for (long i = 0; i < plan.TotalRequests && !ct.IsCancellationRequested; i++)
        {
            var due = start + ToTicks(plan.DueAt(i));
            await WaitUntilAsync(due, ct);

            if (i == plan.WarmupRequests)
            {
                onMeasuredRequestsBegin?.Invoke();
            }

            var variant = plan.VariantOf(i);
            var recorder = i >= plan.WarmupRequests ? live.RecorderOf(variant) : null;
            if (live.TryEnter(plan.MaxInFlight))
            {
                var sequence = i;
                pending.Add(Task.Run(() => SendAsync(plan, createRequest, sequence, variant, due, recorder, live, ct), CancellationToken.None));
            }
            else
            {
                recorder?.RecordError("dropped (max in flight)");
                metrics?.Record(plan.Scenario, variant.Label, "dropped", null);
            }
        }

        await Task.WhenAll(pending);
        var measuredStart = start + ToTicks(plan.DueAt(plan.WarmupRequests));
        var window = Stopwatch.GetElapsedTime(measuredStart, Math.Max(live.LastCompletion, start + ToTicks(plan.Warmup + plan.Duration)));
        return new Measurement(startedUtc, _time.GetUtcNow(), window, live.Recorders);
    }

    private async Task SendAsync(LoadPlan plan, RequestFactory createRequest, long i, Variant variant, long due, VariantRecorder? recorder, LiveRun live, CancellationToken ct)
    {
        string outcome;
        TimeSpan? latency = null;
        try
        {
            using var request = createRequest(i);
            request.Headers.TryAddWithoutValidation(PerfSelection.HeaderName, variant.Header);
            request.Headers.TryAddWithoutValidation(PerfTags.EntryHeader, plan.Scenario);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var bytes = await CountBodyBytesAsync(response, ct);
            var end = Stopwatch.GetTimestamp();
            live.Completed(end);
            if (response.IsSuccessStatusCode)
            {
                latency = Stopwatch.GetElapsedTime(due, end);
                recorder?.RecordSuccess((long)(latency.Value.Ticks / TimeSpan.TicksPerMicrosecond), CountersOf(response), bytes);
                outcome = "success";
            }
            else
            {
                recorder?.RecordError(string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}"));
                outcome = "error";
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            recorder?.RecordError("timeout");
            outcome = "error";
        }
        catch (OperationCanceledException)
        {
            return; // the run was stopped: not the system's fault, not recorded
        }
        catch (HttpRequestException ex)
        {
            recorder?.RecordError($"{nameof(HttpRequestException)} ({ex.HttpRequestError})");
            outcome = "error";
        }
        catch (Exception ex)
        {
            recorder?.RecordError(ex.GetType().Name);
            outcome = "error";
        }
        finally
        {
            live.Exit();
        }

        if (recorder is not null)
        {
            metrics?.Record(plan.Scenario, variant.Label, outcome, latency);
        }
    }

    /// <summary>The body as it came over the wire: the client does not decompress, so this is what the network carried.</summary>
    private static async Task<long> CountBodyBytesAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static ResponseCounters CountersOf(HttpResponseMessage response)
    {
        var timing = response.Headers.TryGetValues(ServerTiming.HeaderName, out var values)
            ? ServerTiming.Durations(string.Join(", ", values))
            : new Dictionary<string, double>();
        double? Duration(string metric) => timing.TryGetValue(metric, out var ms) ? ms : null;
        return new(
            Header(response, PerfTags.DbRoundtripsHeader), Header(response, PerfTags.GrainCallsHeader), Header(response, PerfTags.PaymentCallsHeader),
            Duration(ServerTiming.App), Duration(ServerTiming.Database), Duration(ServerTiming.Grains), Duration(ServerTiming.Payments),
            Header(response, PerfTags.DbConnectionOpensHeader), Duration(ServerTiming.DatabaseConnect),
            response.Headers.TryGetValues(PerfTags.DbPlanHeader, out var plans) ? plans.FirstOrDefault() : null);
    }

    private static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>Sleeps until the due time, never before it: sending early would flatter the latency measured from it.</summary>
    private static async Task WaitUntilAsync(long due, CancellationToken ct)
    {
        while (Stopwatch.GetTimestamp() < due && !ct.IsCancellationRequested)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(remaining.TotalMilliseconds))), ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}

/// <summary>What a run measured: its wall-clock bounds, the measured window, and each variant's recorder.</summary>
public sealed record Measurement(DateTimeOffset StartedUtc, DateTimeOffset FinishedUtc, TimeSpan Window, IReadOnlyList<VariantRecorder> Recorders)
{
    /// <summary>Each variant's runtime figures, in the order of the recorders, when the scenario sampled them.</summary>
    public IReadOnlyList<ServiceRuntime?>? Runtimes { get; init; }

    /// <summary>For a phased run: when each variant's phase ran.</summary>
    public IReadOnlyList<PhaseWindow>? Phases { get; init; }

    /// <summary>The heap dumps taken during the run (--gcdump), if any.</summary>
    public IReadOnlyList<Profiling.HeapDumpSummary>? HeapDumps { get; init; }
}
