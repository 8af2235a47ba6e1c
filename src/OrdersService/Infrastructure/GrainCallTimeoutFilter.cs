namespace PerfReference.OrdersService.Infrastructure;

/// <summary>
/// Orleans reports a grain call whose answer did not come in time as a plain <see cref="TimeoutException"/>,
/// which says nothing about who timed out. Raised again here as a <see cref="GrainCallTimeoutException"/>,
/// it can be told from any other timeout by its type (<see cref="DependencyUnavailableHandler"/>).
/// </summary>
public sealed class GrainCallTimeoutFilter : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (TimeoutException timeout) when (timeout is not GrainCallTimeoutException)
        {
            throw new GrainCallTimeoutException($"{context.InterfaceName}.{context.MethodName} did not answer in time.", timeout);
        }
    }
}

public sealed class GrainCallTimeoutException(string message, TimeoutException inner) : TimeoutException(message, inner);
