using System.Diagnostics;
using PerfReference.CustomerGrains.Timing;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Infrastructure;

/// <summary>
/// Counts the grain calls a request makes, how many of them wait for an answer at once and how long each waits, and
/// where each call's time went: the silo that runs it reports how long it waited there and ran (it is asked with a
/// <see cref="GrainCallArrival"/>, and answers with a <see cref="SiloTimedResponse"/>), and the rest of what this side
/// waited is the link. (No grain chooses a variant: every pair that involves grains lives on the caller's side.)
/// </summary>
public sealed class GrainCallCounter : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (PerfRequest.Current is not { } request)
        {
            await context.Invoke();
            return;
        }

        request.Counters.GrainCallStarted();
        RequestContext.Set(GrainCallArrival.RequestContextKey, new GrainCallArrival()); // the silo reads back when it arrived there
        var started = Stopwatch.GetTimestamp();
        try
        {
            await context.Invoke();
        }
        finally
        {
            var ended = Stopwatch.GetTimestamp();
            request.Counters.AddGrainTime(Stopwatch.GetElapsedTime(started, ended));
            if (context.Response is SiloTimedResponse timed)
            {
                context.Response = timed.Answer; // the caller reads the grain's answer, not the envelope
                Record(request, new GrainCallSplit(started, ended, timed.Waited, timed.Ran));
            }

            request.Counters.GrainCallAnswered();
        }
    }

    /// <summary>The call's split, in the request's account and on the call's client span (Orleans' own outgoing filter runs first).</summary>
    private static void Record(PerfRequest request, GrainCallSplit split)
    {
        request.Counters.RecordGrainCallSplit(split);
        Activity.Current?.SetTag(GrainCallTags.LinkMs, split.Link.TotalMilliseconds);
        Activity.Current?.SetTag(GrainCallTags.SiloWaitMs, split.SiloWait.TotalMilliseconds);
        Activity.Current?.SetTag(GrainCallTags.RunMs, split.Run.TotalMilliseconds);
    }
}
