using System.Diagnostics;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Scenarios;

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
    private readonly RequestSender _sender = new(http, metrics);

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
        try
        {
            recorder?.RecordSendLateness(Stopwatch.GetElapsedTime(due));
            await _sender.SendAsync(plan.Scenario, createRequest, i, variant, due, recorder, live.Completed, ct);
        }
        finally
        {
            live.Exit();
        }
    }

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
    public IReadOnlyList<HeapDumpSummary>? HeapDumps { get; init; }
}
