using System.Diagnostics;

namespace PerfReference.LatencyProxy.Shaping;

/// <summary>Work the clock does at its due time, on the clock's thread: short and never blocking.</summary>
internal interface IDueWork
{
    void RunDue(long now);
}

/// <summary>
/// One thread per process that releases every link's bytes at their due time: it sleeps on a high-resolution timer
/// (<see cref="WakeTimer"/>) armed at the earliest due moment and, when woken, runs what is due right there — the link
/// writes its bytes with a non-blocking send — rather than waking a pool thread to do it. Each segment costs one
/// wake-up of one thread, with no spinning and no thread pool in between, so a busy machine (the services of the
/// topology on two cores) delays a link by one scheduling of this thread at most.
/// </summary>
internal sealed class LinkClock : IDisposable
{
    private static readonly Lazy<LinkClock> SharedClock = new(() => new LinkClock());

    private readonly PriorityQueue<IDueWork, long> _due = new();
    private readonly List<IDueWork> _running = [];
    private readonly Lock _gate = new();
    private readonly WakeTimer _timer = WakeTimer.Create();
    private readonly Thread _thread;
    private long _armedAt = WakeTimer.Never;
    private volatile bool _disposed;

    public LinkClock()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "link-clock" };
        _thread.Start();
    }

    /// <summary>The clock every link of this process shares: one timer, one thread.</summary>
    public static LinkClock Shared => SharedClock.Value;

    /// <summary>Runs <paramref name="work"/> on the clock's thread once <paramref name="dueTimestamp"/> (Stopwatch) has passed.</summary>
    public void Schedule(IDueWork work, long dueTimestamp)
    {
        lock (_gate)
        {
            _due.Enqueue(work, dueTimestamp);
            if (dueTimestamp < _armedAt)
            {
                // Under the lock: two links arming at once must not leave the timer at the later of their moments.
                _armedAt = dueTimestamp;
                _timer.ArmAt(dueTimestamp);
            }
        }
    }

    private void Run()
    {
        SchedulingPriority.RaiseCurrentThread();
        while (!_disposed)
        {
            _timer.Wait();
            var now = Stopwatch.GetTimestamp();
            lock (_gate)
            {
                while (_due.TryPeek(out var work, out var due) && due <= now)
                {
                    _running.Add(_due.Dequeue());
                }

                _armedAt = _due.TryPeek(out _, out var next) ? next : WakeTimer.Never;
                _timer.ArmAt(_armedAt);
            }

            foreach (var work in _running)
            {
                work.RunDue(now);
            }

            _running.Clear();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        lock (_gate)
        {
            _timer.ArmAt(0);
        }

        _thread.Join();
        _timer.Dispose();
    }
}
