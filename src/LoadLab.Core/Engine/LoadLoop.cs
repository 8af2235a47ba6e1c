using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace PerfReference.LoadLab.Engine;

/// <summary>
/// A request of a load at the moment it is due: its number, the Stopwatch timestamp its latency counts from (its intended
/// send time in an open loop, its actual one in a closed loop), and that moment as an offset from the load's start.
/// </summary>
public readonly record struct Arrival(long Sequence, long Timestamp, TimeSpan Offset);

/// <summary>When a load's requests are due, and how many may be in flight at once.</summary>
public abstract class Pacing
{
    /// <summary>More requests in flight than this are not sent but dropped (an open loop never waits for the system).</summary>
    public virtual int MaxInFlight => int.MaxValue;

    /// <summary>
    /// How many workers send this load's requests, each its next as soon as its last has answered; null when one loop
    /// sends each request at its moment without waiting for the ones before it (an open loop). A closed loop's next
    /// request is due only when an answer frees a slot, so the answer's own continuation can send it: no dispatcher
    /// to wake and no hop to the thread pool per request, which on two cores was CPU taken from the service measured.
    /// </summary>
    public virtual int? Workers => null;

    /// <summary>Waits for request <paramref name="sequence"/>'s moment; null when the load is over.</summary>
    public abstract ValueTask<Arrival?> NextAsync(long sequence, long start, CancellationToken ct);

    /// <summary>A request has answered (or failed).</summary>
    public virtual void Completed()
    {
    }

    /// <summary>
    /// Open loop: request <c>i</c> is due at start + i / rate, whether or not earlier requests have answered, for
    /// <paramref name="count"/> requests; its latency counts from that intended time, so a stall of the system is
    /// recorded for every request that was due in it (no coordinated omission).
    /// </summary>
    public static Pacing Open(double rate, long count, int maxInFlight = int.MaxValue) => new OpenPacing(rate, count, maxInFlight);

    /// <summary>
    /// Open loop at random moments: the gaps between requests are drawn at random around 1 / rate (exponentially: a
    /// Poisson process, as independent users arrive), from <paramref name="random"/>. A load beside a metronomic one
    /// needs it: two loads on fixed periods keep the same phase, and the one's requests would fall into the same gaps
    /// between the other's every time (a hot customer's writes never meeting its reads).
    /// </summary>
    public static Pacing Poisson(double rate, long count, int maxInFlight, Random random) => new PoissonPacing(rate, count, maxInFlight, random);

    /// <summary>
    /// Closed loop: <paramref name="inFlight"/> requests at a time, the next one as soon as one answers, until
    /// <paramref name="length"/> has passed; its latency counts from its actual send.
    /// </summary>
    public static Pacing Closed(int inFlight, TimeSpan length) => new ClosedPacing(inFlight, length);

    protected static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Request <paramref name="sequence"/>, due <paramref name="offset"/> after the load's start, once that moment has come.</summary>
    protected static async ValueTask<Arrival?> ArriveAsync(long sequence, long start, TimeSpan offset, CancellationToken ct)
    {
        var due = start + ToTicks(offset);
        await WaitUntilAsync(due, ct);
        return new Arrival(sequence, due, offset);
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

    private sealed class OpenPacing(double rate, long count, int maxInFlight) : Pacing
    {
        public override int MaxInFlight => maxInFlight;

        public override async ValueTask<Arrival?> NextAsync(long sequence, long start, CancellationToken ct)
        {
            if (sequence >= count)
            {
                return null;
            }

            return await ArriveAsync(sequence, start, TimeSpan.FromSeconds(sequence / rate), ct);
        }
    }

    private sealed class PoissonPacing(double rate, long count, int maxInFlight, Random random) : Pacing
    {
        private double _offsetSeconds;

        public override int MaxInFlight => maxInFlight;

        public override async ValueTask<Arrival?> NextAsync(long sequence, long start, CancellationToken ct)
        {
            if (sequence >= count)
            {
                return null;
            }

            var offset = TimeSpan.FromSeconds(_offsetSeconds);
            _offsetSeconds += -Math.Log(1 - random.NextDouble()) / rate; // the next gap: exponential, of mean 1 / rate
            return await ArriveAsync(sequence, start, offset, ct);
        }
    }

    private sealed class ClosedPacing : Pacing
    {
        private readonly SemaphoreSlim _slots;
        private readonly TimeSpan _length;

        public ClosedPacing(int inFlight, TimeSpan length)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(inFlight, 1);
            (_slots, _length, Workers) = (new SemaphoreSlim(inFlight, inFlight), length, inFlight);
        }

        public override async ValueTask<Arrival?> NextAsync(long sequence, long start, CancellationToken ct)
        {
            try
            {
                await _slots.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            var now = Stopwatch.GetTimestamp();
            var offset = Stopwatch.GetElapsedTime(start, now);
            if (offset < _length)
            {
                return new Arrival(sequence, now, offset);
            }

            _slots.Release();
            return null;
        }

        public override int? Workers { get; }

        public override void Completed() => _slots.Release();
    }
}

/// <summary>A load as it goes: requests sent, in flight and answered, and when the latest answer came.</summary>
public class LoadCounters
{
    private long _inFlight;
    private long _sent;
    private long _completed;
    private long _lastCompletion;

    public long InFlight => Interlocked.Read(ref _inFlight);

    public long Sent => Interlocked.Read(ref _sent);

    public long CompletedCount => Interlocked.Read(ref _completed);

    /// <summary>Stopwatch timestamp of the latest answer (for the measured window); 0 before the first.</summary>
    public long LastCompletion => Interlocked.Read(ref _lastCompletion);

    /// <summary>Counts a request in flight unless that would exceed the bound.</summary>
    public bool TryEnter(int maxInFlight)
    {
        if (Interlocked.Increment(ref _inFlight) > maxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            return false;
        }

        Interlocked.Increment(ref _sent);
        return true;
    }

    public void Exit()
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _completed);
    }

    /// <summary>An answer came at <paramref name="timestamp"/> (its body read).</summary>
    public void Completed(long timestamp)
    {
        long seen;
        while (timestamp > (seen = Interlocked.Read(ref _lastCompletion)) &&
               Interlocked.CompareExchange(ref _lastCompletion, timestamp, seen) != seen)
        {
        }
    }
}

/// <summary>When a load ran (wall clock), and where it started on the Stopwatch (arrivals' offsets count from there).</summary>
public sealed record LoopRun(DateTimeOffset StartedUtc, DateTimeOffset FinishedUtc, long StartTimestamp);

/// <summary>
/// The one load loop every measurement drives — an open-loop run and each step of a capacity search, a closed-loop sweep
/// and ceiling, a drill's checkouts: it takes each request at its moment (<see cref="Pacing"/>), sends it without waiting
/// for the ones before it, counts it in flight, drops it when the pacing's bound is reached, and returns once every
/// request sent has answered. What a request is and where its outcome goes is the sender's. A pacing with
/// <see cref="Pacing.Workers"/> (a closed loop) is driven by that many workers instead of one loop: each takes its next
/// request from the pacing as its last one has answered, so the same steps run without a hop per request.
/// </summary>
public static class LoadLoop
{
    /// <param name="send">Sends one request (on the thread pool); its failures are its own to record, an exception ends the load.</param>
    /// <param name="onDue">Called for every request at its moment, before it is sent or dropped (a warm-up's end, a drill's fault); in order, except that a closed loop's workers call it each for its own requests.</param>
    /// <param name="dropped">Called for a request the pacing's bound kept from being sent.</param>
    public static async Task<LoopRun> RunAsync(
        Pacing pacing, LoadCounters counters, Func<Arrival, Task> send, CancellationToken ct,
        Action<Arrival>? onDue = null, Action<Arrival>? dropped = null, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var startedUtc = time.GetUtcNow();
        var start = Stopwatch.GetTimestamp();
        ExceptionDispatchInfo? failure = null;

        // Counts the request in flight (or drops it); false when it was dropped.
        bool Enter(Arrival arrival)
        {
            onDue?.Invoke(arrival);
            if (counters.TryEnter(pacing.MaxInFlight))
            {
                return true;
            }

            dropped?.Invoke(arrival);
            return false;
        }

        async Task SendAsync(Arrival arrival)
        {
            try
            {
                await send(arrival);
            }
            catch (Exception error)
            {
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(error), null);
            }
            finally
            {
                counters.Exit();
                pacing.Completed();
            }
        }

        if (pacing.Workers is { } workers)
        {
            long sequence = -1;
            async Task WorkAsync()
            {
                while (!ct.IsCancellationRequested && await pacing.NextAsync(Interlocked.Increment(ref sequence), start, ct) is { } arrival)
                {
                    if (Enter(arrival))
                    {
                        await SendAsync(arrival);
                    }
                }
            }

            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync, CancellationToken.None)));
        }
        else
        {
            await DispatchAsync(pacing, start, Enter, SendAsync, ct);
        }

        failure?.Throw();
        return new LoopRun(startedUtc, time.GetUtcNow(), start);
    }

    /// <summary>One loop takes each request at its moment and sends it on the thread pool, so a slow send never delays the next one's moment.</summary>
    private static async Task DispatchAsync(Pacing pacing, long start, Func<Arrival, bool> enter, Func<Arrival, Task> send, CancellationToken ct)
    {
        var outstanding = 1; // the loop itself, until it has sent its last request
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        void Done()
        {
            if (Interlocked.Decrement(ref outstanding) == 0)
            {
                drained.TrySetResult();
            }
        }

        for (long i = 0; !ct.IsCancellationRequested && await pacing.NextAsync(i, start, ct) is { } arrival; i++)
        {
            if (!enter(arrival))
            {
                continue;
            }

            Interlocked.Increment(ref outstanding);
            _ = Task.Run(async () =>
            {
                try
                {
                    await send(arrival);
                }
                finally
                {
                    Done();
                }
            }, CancellationToken.None);
        }

        Done();
        await drained.Task;
    }
}
