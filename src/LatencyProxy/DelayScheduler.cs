using System.Diagnostics;

namespace PerfReference.LatencyProxy;

/// <summary>
/// Wakes waiters at a Stopwatch timestamp with sub-millisecond precision and little CPU. Timers and
/// Task.Delay wake a millisecond or more late here, which would turn a 0.5 ms profile into 2 ms; a
/// dedicated thread that sleeps in 1 ms steps and spins only the last fraction keeps delays close
/// to the profile without a core spinning for every connection.
/// </summary>
internal sealed class DelayScheduler : IDisposable
{
    private static readonly long OneMillisecond = Stopwatch.Frequency / 1000;

    private readonly PriorityQueue<TaskCompletionSource, long> _waiting = new();
    private readonly Lock _gate = new();
    private readonly AutoResetEvent _changed = new(false);
    private readonly Thread _thread;
    private volatile bool _disposed;

    public DelayScheduler()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "latency-proxy-clock" };
        _thread.Start();
    }

    public Task WaitUntilAsync(long dueTimestamp)
    {
        if (Stopwatch.GetTimestamp() >= dueTimestamp)
        {
            return Task.CompletedTask;
        }

        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiting.Enqueue(waiter, dueTimestamp);
        }

        _changed.Set();
        return waiter.Task;
    }

    private void Run()
    {
        while (!_disposed)
        {
            long nextDue;
            lock (_gate)
            {
                var now = Stopwatch.GetTimestamp();
                while (_waiting.TryPeek(out var waiter, out var due) && due <= now)
                {
                    _waiting.Dequeue();
                    waiter.TrySetResult();
                }

                nextDue = _waiting.TryPeek(out _, out var earliest) ? earliest : long.MaxValue;
            }

            var remaining = nextDue - Stopwatch.GetTimestamp();
            if (nextDue == long.MaxValue)
            {
                _changed.WaitOne(100);
            }
            else if (remaining > 2 * OneMillisecond)
            {
                _changed.WaitOne(1); // ~1 ms steps; a new, earlier waiter cuts the sleep short
            }
            else if (remaining > 0)
            {
                Thread.Yield();
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _changed.Set();
        _thread.Join();
        _changed.Dispose();
    }
}
