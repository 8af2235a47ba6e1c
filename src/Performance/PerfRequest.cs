namespace PerfReference.Performance;

/// <summary>
/// The request being served: its variant selection, the entry it measures, and its counters.
/// </summary>
/// <remarks>
/// Code that chooses a variant reads <see cref="IPerfSwitch"/>, injected. The counters are charged by
/// instrumentation hooks that are singletons (Npgsql's activity listener, the grain-call filter, the
/// gRPC interceptor) and so cannot be handed the request: they find it through <see cref="Current"/>,
/// which flows with the request's async calls.
/// </remarks>
public sealed class PerfRequest(PerfSelection selection, string? entry)
{
    private static readonly AsyncLocal<PerfRequest?> CurrentRequest = new();

    /// <summary>The request on this async flow, for the instrumentation hooks that count what it does; null outside a request.</summary>
    public static PerfRequest? Current => CurrentRequest.Value;

    public PerfSelection Selection { get; } = selection;

    /// <summary>The catalog entry this request was sent to measure (the lab's X-Perf-Entry label), if any.</summary>
    public string? Entry { get; } = entry;

    public PerfCounters Counters { get; } = new();

    /// <summary>
    /// The variant to report in metrics and traces: the measured entry's own variant when the request
    /// names one (the lab sends "naive, n-plus-one-db=optimized" labelled n-plus-one-db: that is the
    /// optimized side of that comparison), else the selection's one-word label.
    /// </summary>
    public string VariantLabel => Entry is not null && PerfCatalog.Find(Entry) is { } entry
        ? PerfSelection.Name(Selection.VariantOf(entry))
        : Selection.Label;

    /// <summary>Makes this the current request for the rest of the async flow.</summary>
    public PerfRequest Enter()
    {
        CurrentRequest.Value = this;
        return this;
    }
}
