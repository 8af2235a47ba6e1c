using PerfReference.Performance;

namespace PerfReference.OrdersService.Infrastructure;

/// <summary>
/// Counts the grain calls a request makes, and how many of them wait for an answer at once, and hands
/// its variant selection to the silo with each call.
/// </summary>
public sealed class PerfGrainCallFilter : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (PerfRequest.Current is not { } request)
        {
            await context.Invoke();
            return;
        }

        request.Counters.GrainCallStarted();
        RequestContext.Set(PerfSelection.RequestContextKey, request.Selection.ToString());
        try
        {
            await context.Invoke();
        }
        finally
        {
            request.Counters.GrainCallAnswered();
        }
    }
}
