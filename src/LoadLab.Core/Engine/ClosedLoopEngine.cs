using System.Diagnostics;
using PerfReference.LoadLab.Scenarios;

namespace PerfReference.LoadLab.Engine;

/// <summary>
/// Sends load closed-loop: a fixed number of requests in flight, each worker sending its next request
/// as soon as its last one answered. This is the question "what does the system do with N concurrent
/// users" (throughput and latency at a given concurrency), not "what does it do at a given rate": the
/// offered load adapts to the system, so its latencies count from the actual send and a stall shows
/// as lost throughput rather than as the queue an open loop would record (see <see cref="OpenLoopEngine"/>).
/// </summary>
public sealed class ClosedLoopEngine(HttpClient http, LabMetrics? metrics = null)
{
    private readonly RequestSender _sender = new(http, metrics);

    /// <summary>
    /// One variant at one concurrency: <paramref name="inFlight"/> workers for the warm-up (not recorded) and then
    /// the duration; a request counts when it was sent within the measured window (it may answer after it).
    /// </summary>
    /// <param name="nextSequence">The number of each request sent (a checkout's Idempotency-Key is made from it).</param>
    public async Task<ClosedLoopMeasurement> RunAsync(
        string scenario, Variant variant, int inFlight, TimeSpan warmup, TimeSpan duration, RequestFactory createRequest, Func<long> nextSequence, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFlight, 1);
        var recorder = new VariantRecorder(variant);
        var start = Stopwatch.GetTimestamp();
        var measuredFrom = start + ToTicks(warmup);
        var end = measuredFrom + ToTicks(duration);
        long lastCompletion = measuredFrom;

        async Task WorkerAsync()
        {
            while (!ct.IsCancellationRequested && Stopwatch.GetTimestamp() is var sent && sent < end)
            {
                await _sender.SendAsync(scenario, createRequest, nextSequence(), variant, sent, sent >= measuredFrom ? recorder : null,
                    completed => InterlockedMax(ref lastCompletion, completed), ct);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(WorkerAsync, CancellationToken.None)));
        // The window runs to the last answer: the requests still in flight at the end took that long to finish.
        var window = Stopwatch.GetElapsedTime(measuredFrom, Math.Max(end, Interlocked.Read(ref lastCompletion)));
        return new ClosedLoopMeasurement(inFlight, recorder, window);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}

/// <summary>One variant at one concurrency: its recorder and the measured window (throughput = successes ÷ window).</summary>
public sealed record ClosedLoopMeasurement(int InFlight, VariantRecorder Recorder, TimeSpan Window);
