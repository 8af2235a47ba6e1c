using System.Diagnostics;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Infrastructure;

/// <summary>
/// Counts the grain calls a request makes, how many of them wait for an answer at once and how long
/// each waits. (No grain chooses a variant: every pair that involves grains lives on the caller's side.)
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
        var started = Stopwatch.GetTimestamp();
        try
        {
            await context.Invoke();
        }
        finally
        {
            request.Counters.AddGrainTime(Stopwatch.GetElapsedTime(started));
            request.Counters.GrainCallAnswered();
        }
    }
}
