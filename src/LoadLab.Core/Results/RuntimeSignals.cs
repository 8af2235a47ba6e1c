namespace PerfReference.LoadLab.Results;

/// <summary>
/// One process of the topology and what its runtime reported during a run: the <c>System.Runtime</c>
/// meter (the signals the dashboard's Metrics page shows for the resource), one sample per
/// collection interval. <see cref="Error"/> says why a process has no samples (it could not be
/// attached to, say) rather than leaving a silent gap.
/// </summary>
public sealed record ProcessSignals(string Service, int ProcessId, IReadOnlyList<MeterSample> Samples, string? Error = null);

/// <summary>
/// One collection interval of a process's <c>System.Runtime</c> meter. Gauges (threads, queue,
/// memory) are the value at the end of the interval; counters (CPU, allocations, collections,
/// pauses, contentions) are what happened during it. <see cref="AtSeconds"/> is the interval's end,
/// from the run's start.
/// </summary>
/// <param name="CpuCores">CPU time (user + system) per second of the interval: 1.0 is one core busy (dotnet.process.cpu.time).</param>
/// <param name="WorkingSetMB">dotnet.process.memory.working_set.</param>
/// <param name="GcHeapMB">The managed heap after the last collection, all generations (dotnet.gc.last_collection.heap.size).</param>
/// <param name="AllocatedMB">Bytes allocated during the interval (dotnet.gc.heap.total_allocated).</param>
/// <param name="Gen2Collections">Gen-2 collections during the interval (dotnet.gc.collections, gen2).</param>
/// <param name="GcPauseMs">Time the GC paused the process during the interval (dotnet.gc.pause.time).</param>
/// <param name="ThreadPoolThreads">dotnet.thread_pool.thread.count.</param>
/// <param name="ThreadPoolQueue">Work items waiting for a thread-pool thread (dotnet.thread_pool.queue.length).</param>
/// <param name="LockContentions">Monitor locks that had to wait during the interval (dotnet.monitor.lock_contentions).</param>
public sealed record MeterSample(
    double AtSeconds,
    double CpuCores,
    double WorkingSetMB,
    double GcHeapMB,
    double AllocatedMB,
    double Gen2Collections,
    double GcPauseMs,
    double ThreadPoolThreads,
    double ThreadPoolQueue,
    double LockContentions);
