using System.Diagnostics;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Scenarios;

namespace PerfReference.LoadLab.Engine;

/// <summary>
/// A scenario's load, open loop (<see cref="Pacing.Open"/>): request <c>i</c> is due at start + i / rate, sent as the
/// variant whose turn it is, and measured from that intended time. A closed-loop tool (send, wait, send) slows down
/// with the system and so never records the requests that would have queued behind a stall — the coordinated-omission
/// error this avoids. The warm-up's requests are sent, not recorded.
/// </summary>
public sealed class OpenLoopEngine(HttpClient http, LabMetrics? metrics = null, TimeProvider? time = null)
{
    private readonly RequestSender _sender = new(http, metrics);

    /// <param name="onMeasuredRequestsBegin">Called once, when the first request after the warm-up is due.</param>
    public async Task<Measurement> RunAsync(LoadPlan plan, RequestFactory createRequest, LiveRun live, CancellationToken ct, Action? onMeasuredRequestsBegin = null)
    {
        VariantRecorder? RecorderOf(Arrival arrival) => arrival.Sequence >= plan.WarmupRequests ? live.RecorderOf(plan.VariantOf(arrival.Sequence)) : null;

        var run = await LoadLoop.RunAsync(Pacing.Open(plan.Rate, plan.TotalRequests, plan.MaxInFlight), live,
            arrival =>
            {
                var recorder = RecorderOf(arrival);
                recorder?.RecordSendLateness(Stopwatch.GetElapsedTime(arrival.Timestamp));
                return _sender.SendAsync(plan.Scenario, createRequest, arrival.Sequence, plan.VariantOf(arrival.Sequence), arrival.Timestamp, recorder, live.Completed, ct);
            },
            ct,
            onDue: arrival =>
            {
                if (arrival.Sequence == plan.WarmupRequests)
                {
                    onMeasuredRequestsBegin?.Invoke();
                }
            },
            // A warm-up request that was dropped is no more recorded than one that was sent: neither in the result nor in the metrics.
            dropped: arrival => _sender.RecordDropped(plan.Scenario, plan.VariantOf(arrival.Sequence), RecorderOf(arrival)),
            time);

        var measuredStart = run.StartTimestamp + ToTicks(plan.DueAt(plan.WarmupRequests));
        var window = Stopwatch.GetElapsedTime(measuredStart, Math.Max(live.LastCompletion, run.StartTimestamp + ToTicks(plan.Warmup + plan.Duration)));
        return new Measurement(run.StartedUtc, run.FinishedUtc, window, live.Recorders);
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

    /// <summary>For a phased run: each variant's representative traces, kept right after its phase (none when not kept).</summary>
    public IReadOnlyList<VariantTraces>? PhaseTraces { get; init; }

    /// <summary>The heap dumps taken during the run (--gcdump), if any.</summary>
    public IReadOnlyList<HeapDumpSummary>? HeapDumps { get; init; }

    /// <summary>The load sent beside the measured one, when the scenario has one.</summary>
    public CompanionResult? Companion { get; init; }
}
