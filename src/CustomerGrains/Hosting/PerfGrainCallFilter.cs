using Microsoft.Extensions.Options;
using PerfReference.Performance;

namespace PerfReference.CustomerGrains.Hosting;

/// <summary>Makes the caller's variant selection current for the grain call, so grains can branch on it as services do.</summary>
public sealed class PerfGrainCallFilter(IOptions<PerfOptions> options) : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (RequestContext.Get(PerfSelection.RequestContextKey) is string selection)
        {
            try
            {
                new PerfRequest(PerfSelection.Parse(selection, options.Value.DefaultVariant), entry: null).Enter();
            }
            catch (PerfSelectionException)
            {
                // The client validated it; a selection it could not have sent is ignored, not fatal to the call.
            }
        }

        return context.Invoke();
    }
}
