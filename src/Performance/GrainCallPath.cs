using System.Diagnostics;

namespace PerfReference.Performance;

/// <summary>
/// One grain call as its caller saw it, split by what the silo reported: the link (there and back: both ends'
/// serialization, the network, the hops between gateway and silo), the wait in the silo before the call ran (the
/// activation's queue above all), and the grain's own execution. <see cref="StartedAt"/> and <see cref="EndedAt"/>
/// are the caller's <see cref="Stopwatch"/> timestamps; the wait and the run are durations the silo measured, so no
/// clock is compared across hosts.
/// </summary>
public readonly record struct GrainCallSplit(long StartedAt, long EndedAt, TimeSpan SiloWait, TimeSpan Run)
{
    /// <summary>What the caller waited for the call.</summary>
    public TimeSpan Total => Stopwatch.GetElapsedTime(StartedAt, EndedAt);

    /// <summary>The caller's total less the silo's part: never below zero, whatever the two clocks' rates.</summary>
    public TimeSpan Link => TimeSpan.FromTicks(Math.Max(0, (Total - SiloWait - Run).Ticks));
}

/// <summary>
/// Where a request's grain time went, as durations that add up to part of its wall time: the grain calls on its
/// critical path — the call that answered last, then the call that answered last before that one was made, and so on
/// back — with their link, silo wait and run summed. Calls awaited one after another are all on it; calls made
/// together put only the one the request waited for longest on it, so 50 calls that queued at once read as one wait,
/// not fifty. Beside it, the longest a single call of the request waited in a silo (a maximum, not a sum).
/// </summary>
public sealed record GrainCallPath(int Calls, TimeSpan Link, TimeSpan SiloWait, TimeSpan Run, TimeSpan LongestSiloWait)
{
    public static readonly GrainCallPath None = new(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    public static GrainCallPath Of(IReadOnlyCollection<GrainCallSplit> calls)
    {
        if (calls.Count == 0)
        {
            return None;
        }

        var byEnd = calls.OrderBy(call => call.EndedAt).ToArray();
        var (onPath, link, wait, run) = (0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        for (var i = byEnd.Length - 1; i >= 0; i = LastEndedBefore(byEnd, i - 1, byEnd[i].StartedAt))
        {
            (onPath, link, wait, run) = (onPath + 1, link + byEnd[i].Link, wait + byEnd[i].SiloWait, run + byEnd[i].Run);
        }

        return new GrainCallPath(onPath, link, wait, run, byEnd.Max(call => call.SiloWait));
    }

    /// <summary>
    /// The call on the path before one made at <paramref name="madeAt"/>: the last to end by then, searching back from
    /// <paramref name="from"/>. Calls that were still out when it was made overlap it and are passed over.
    /// </summary>
    private static int LastEndedBefore(GrainCallSplit[] byEnd, int from, long madeAt)
    {
        while (from >= 0 && byEnd[from].EndedAt > madeAt)
        {
            from--;
        }

        return from;
    }
}
