using PerfReference.Performance;

namespace PerfReference.ComponentTests.Infrastructure;

/// <summary>Runs code as one request would run it, so the instrumentation hooks count what it does.</summary>
public static class Measured
{
    public static async Task<(T Result, PerfCounters Counters)> RunAsync<T>(Func<Task<T>> work)
    {
        // A flow of its own: the request made current here does not leak into the caller's.
        return await Task.Run(async () =>
        {
            var request = new PerfRequest(PerfSelection.AllNaive, entry: null).Enter();
            return (await work(), request.Counters);
        });
    }

    public static async Task<PerfCounters> RunAsync(Func<Task> work) =>
        (await RunAsync(async () => { await work(); return true; })).Counters;
}
