using System.Diagnostics;
using PerfReference.LoadLab.Scenarios;

namespace PerfReference.LoadLab.Engine;

/// <summary>
/// One variant's load, closed loop (<see cref="Pacing.Closed"/>): a fixed number of requests in flight, the next one
/// sent as soon as one answered. This is the question "what does the system do with N concurrent users" (throughput
/// and latency at a given concurrency), not "what does it do at a given rate": the offered load adapts to the system,
/// so its latencies count from the actual send and a stall shows as lost throughput rather than as the queue an open
/// loop would record (see <see cref="OpenLoopEngine"/>).
/// </summary>
public sealed class ClosedLoopEngine(HttpClient http, LabMetrics? metrics = null)
{
    private readonly RequestSender _sender = new(http, metrics);

    /// <summary>
    /// One variant at one concurrency: <paramref name="inFlight"/> requests for the warm-up (not recorded) and then
    /// the duration; a request counts when it was sent within the measured window (it may answer after it).
    /// </summary>
    /// <param name="nextSequence">The number of each request sent (a checkout's Idempotency-Key is made from it).</param>
    public async Task<ClosedLoopMeasurement> RunAsync(
        string scenario, Variant variant, int inFlight, TimeSpan warmup, TimeSpan duration, RequestFactory createRequest, Func<long> nextSequence, CancellationToken ct)
    {
        var recorder = new VariantRecorder(variant);
        var counters = new LoadCounters();
        var run = await LoadLoop.RunAsync(Pacing.Closed(inFlight, warmup + duration), counters,
            arrival => _sender.SendAsync(scenario, createRequest, nextSequence(), variant, arrival.Timestamp, arrival.Offset >= warmup ? recorder : null,
                counters.Completed, ct),
            ct);

        // The window runs to the last answer: the requests still in flight at the end took that long to finish.
        var measuredFrom = run.StartTimestamp + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var end = measuredFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return new ClosedLoopMeasurement(inFlight, recorder, Stopwatch.GetElapsedTime(measuredFrom, Math.Max(end, counters.LastCompletion)));
    }
}

/// <summary>One variant at one concurrency: its recorder and the measured window (throughput = successes ÷ window).</summary>
public sealed record ClosedLoopMeasurement(int InFlight, VariantRecorder Recorder, TimeSpan Window);
