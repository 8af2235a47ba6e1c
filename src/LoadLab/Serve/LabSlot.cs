using System.Diagnostics;

namespace PerfReference.LoadLab.Serve;

/// <summary>
/// The lab does one thing at a time — a scenario's run or a drill — because two loads would measure each other: one
/// slot, taken under one lock, so that a run and a drill asked for at the same moment cannot both start.
/// </summary>
public sealed class LabSlot
{
    private readonly Lock _gate = new();
    private Task? _current;
    private string? _what;

    /// <summary>What the lab is busy with ("a run of n-plus-one-db", "the drill silo-kill"), or null when it is free.</summary>
    public string? Busy
    {
        get
        {
            lock (_gate)
            {
                return _current is { IsCompleted: false } ? _what : null;
            }
        }
    }

    /// <summary>Starts <paramref name="work"/> in the background unless the slot is taken; the work, or null when the lab is busy.</summary>
    public Task? TryStart(string what, Func<Task> work)
    {
        lock (_gate)
        {
            if (_current is { IsCompleted: false })
            {
                return null;
            }

            _what = what;
            // The work outlives the request that asked for it, and each request it sends is a trace of its own. Left
            // under the asking request's activity, every request of a run was a span of that one trace: a run from the
            // dashboard's command was one trace of thousands of spans, and its p50 and P99 requests the same trace.
            return _current = Task.Run(() =>
            {
                Activity.Current = null;
                return work();
            });
        }
    }
}
