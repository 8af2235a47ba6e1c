using System.Diagnostics.Metrics;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Orders;

/// <summary>
/// The fixed pool of worker threads a synchronous server serves its requests with — the seed's "10 threads" — for the
/// naive variant of <c>threadpool-starvation</c>: at most <see cref="Threads"/> requests run their blocking work at
/// once, and the rest wait their turn in its queue. .NET's own pool would not stay that size: it adds threads while its
/// threads are blocked, so a blocking endpoint on it holds more requests the longer the burst lasts. Capping the
/// process's pool instead (<c>ThreadPool.SetMaxThreads</c>) would stall everything else the service does, and
/// deadlock the blocked calls themselves: the answers they wait for are read by pool threads too. So the limit sits
/// here, on the naive requests' blocking work alone, over the process's pool (a <see cref="ConcurrentExclusiveSchedulerPair"/>
/// capped at <see cref="Threads"/>); the optimized variant, async all the way, does not use it.
/// </summary>
public sealed class FixedWorkerPool
{
    /// <summary>The seed's pool: "10 threads × 200 ms synchronous calls = at most 50 requests per second".</summary>
    public const int Threads = 10;

    private readonly TaskFactory _workers = new(CancellationToken.None,
        // The work's own awaits (inside the libraries it calls) must not come back to this pool's ten slots.
        TaskCreationOptions.HideScheduler | TaskCreationOptions.DenyChildAttach, TaskContinuationOptions.None,
        new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, Threads).ConcurrentScheduler);

    private int _busy;
    private int _waiting;

    public FixedWorkerPool(IMeterFactory meters)
    {
        var meter = meters.Create(PerfMetrics.MeterName);
        meter.CreateObservableGauge("orders.worker_pool.busy", () => Busy, "{thread}",
            "Worker threads of the fixed pool (threadpool-starvation, naive) running a request's blocking work");
        meter.CreateObservableGauge("orders.worker_pool.queue.length", () => Waiting, "{request}",
            "Requests waiting for one of the fixed pool's worker threads");
    }

    /// <summary>Requests whose blocking work is running now: at most <see cref="Threads"/>.</summary>
    public int Busy => Volatile.Read(ref _busy);

    /// <summary>Requests waiting for a worker.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>
    /// Runs <paramref name="work"/> on one of the pool's threads, holding it until the work returns; the caller's
    /// context flows with it (the request's counters count what it does). A request cancelled while it waited for a
    /// worker gives its turn up without running.
    /// </summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken ct)
    {
        Interlocked.Increment(ref _waiting);
        return _workers.StartNew(() =>
        {
            Interlocked.Decrement(ref _waiting);
            ct.ThrowIfCancellationRequested();
            Interlocked.Increment(ref _busy);
            try
            {
                return work();
            }
            finally
            {
                Interlocked.Decrement(ref _busy);
            }
        });
    }
}
