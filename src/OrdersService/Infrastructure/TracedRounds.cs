namespace PerfReference.OrdersService.Infrastructure;

/// <summary>
/// Which rounds of a busy background loop are traced: the first, and then one every <c>every</c>. The payment worker's
/// round under a checkout load settles tens of payments, each with two provider calls, a grain call and its writes —
/// most of the spans a checkout causes. Traced whole, every round, they kept the Aspire dashboard receiving them busier
/// than any service on the same two cores; one round in a while still shows the settlement in the dashboard, and an
/// idle system's first round after a checkout is always traced, so a lone checkout's settlement is there to see.
/// </summary>
public sealed class TracedRounds(TimeSpan every, TimeProvider clock)
{
    private long? _lastTraced;

    /// <summary>Whether the round starting now is traced (not thread-safe: one loop asks).</summary>
    public bool Next()
    {
        var now = clock.GetTimestamp();
        if (_lastTraced is { } last && clock.GetElapsedTime(last, now) < every)
        {
            return false;
        }

        _lastTraced = now;
        return true;
    }
}
