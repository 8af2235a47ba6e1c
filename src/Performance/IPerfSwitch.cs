namespace PerfReference.Performance;

/// <summary>
/// Which variant of each catalog entry the code on this path runs — the one switch every entry
/// reads at the top of its pair of methods, one naive and one optimized:
/// <code>
/// public Task&lt;OrderDetails?&gt; FindAsync(long id, CancellationToken ct) =&gt;
///     perf.IsOptimized(PerfCatalog.NPlusOneDb) ? FindInOneCommandAsync(id, ct) : FindQueryByQueryAsync(id, ct);
/// </code>
/// Injected, so a pair can be tested on its own with a <see cref="FixedPerfSwitch"/>. In a service
/// it is scoped to the request (<see cref="RequestPerfSwitch"/>).
/// </summary>
public interface IPerfSwitch
{
    PerfSelection Selection { get; }

    bool IsOptimized(PerfEntry entry) => Selection.IsOptimized(entry);
}

/// <summary>A selection fixed in advance: a test of one naive/optimized pair, or work that belongs to no request.</summary>
public sealed class FixedPerfSwitch(PerfSelection selection) : IPerfSwitch
{
    public static FixedPerfSwitch AllNaive { get; } = new(PerfSelection.AllNaive);

    public static FixedPerfSwitch AllOptimized { get; } = new(PerfSelection.AllOptimized);

    public PerfSelection Selection { get; } = selection;

    /// <summary>Everything naive but <paramref name="entry"/>: one change at a time, as the log records it.</summary>
    public static FixedPerfSwitch OnlyOptimized(PerfEntry entry) =>
        new(new PerfSelection(PerfVariant.Naive, new Dictionary<string, PerfVariant> { [entry.Id] = PerfVariant.Optimized }));
}

/// <summary>
/// The switch of one request scope: the selection the request asked for (read by
/// <see cref="PerfRequestMiddleware"/>), or — in a scope that serves no request, such as a
/// background worker's — the configured default.
/// </summary>
public sealed class RequestPerfSwitch(Microsoft.Extensions.Options.IOptions<PerfOptions> options) : IPerfSwitch
{
    /// <summary>The request this scope serves; set once, by the middleware, before the endpoint runs.</summary>
    public PerfRequest? Request { get; internal set; }

    public PerfSelection Selection => Request?.Selection ?? options.Value.DefaultSelection;
}
