using PerfReference.Performance;

namespace PerfReference.OrdersService.Infrastructure;

/// <summary>Counts the grain calls a request makes and hands its variant selection to the silo with each call.</summary>
public sealed class PerfGrainCallFilter : IOutgoingGrainCallFilter
{
    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (PerfRequest.Current is { } request)
        {
            request.Counters.CountGrainCall();
            RequestContext.Set(PerfSelection.RequestContextKey, request.Selection.ToString());
        }

        return context.Invoke();
    }
}
