using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report.Traces;

/// <summary>
/// Two kept traces compared span by span — the naive variant's and the optimized one's at the same percentile: each
/// kind of call (a service and a span name: one database, one grain method, one gRPC method) on and off each critical
/// path, what the fix did to it (removed, shortened, moved off the critical path, added), and the time on each critical
/// path by service. Computed from stored spans only, so it regenerates like every other figure.
/// </summary>
public sealed record TraceDiff(
    RepresentativeTrace Naive, RepresentativeTrace Optimized, CriticalPath NaivePath, CriticalPath OptimizedPath,
    IReadOnlyList<CallChange> Calls, IReadOnlyList<ServiceTime> Services)
{
    /// <summary>A span whose call a change is reported for by how much it shrank: a fifth or more.</summary>
    public const double ShortenedBelow = 0.8;

    /// <summary>The diff of a pair, or null when either trace has no spans.</summary>
    public static TraceDiff? Of(RepresentativeTrace naive, RepresentativeTrace optimized)
    {
        if (CriticalPath.Of(naive.Spans) is not { } naivePath || CriticalPath.Of(optimized.Spans) is not { } optimizedPath)
        {
            return null;
        }

        var naiveCalls = CallCounts.Of(naivePath);
        var optimizedCalls = CallCounts.Of(optimizedPath);
        var calls = naiveCalls.Keys.Union(optimizedCalls.Keys, StringComparer.Ordinal)
            .Select(call => CallChange.Of(call, naiveCalls.GetValueOrDefault(call) ?? CallCounts.None, optimizedCalls.GetValueOrDefault(call) ?? CallCounts.None))
            .OrderByDescending(c => Math.Abs(c.Naive.PathMs - c.Optimized.PathMs)).ThenBy(c => c.Call, StringComparer.Ordinal)
            .ToArray();
        return new TraceDiff(naive, optimized, naivePath, optimizedPath, calls, ServiceTime.Of(naivePath, optimizedPath));
    }

    /// <summary>Database spans (a span with <c>db.system</c> or <c>db.system.name</c>) on a critical path.</summary>
    public static int DatabaseSpansOnPath(CriticalPath path) => path.Segments.Count(s => IsDatabase(s.Span));

    public static bool IsDatabase(TraceSpan span) => span.Tags.ContainsKey("db.system") || span.Tags.ContainsKey("db.system.name");

    /// <summary>What a span is a call of: its service and its name ("orders: ordersdb", "silo: ICustomerGrain/GetProfile").</summary>
    public static string CallOf(TraceSpan span) => $"{span.Service}: {span.Name}";
}

/// <summary>How a kind of call fared: in the naive trace, in the optimized one, and what the fix did to it.</summary>
public sealed record CallChange(string Call, CallCounts Naive, CallCounts Optimized, string Change)
{
    public static CallChange Of(string call, CallCounts naive, CallCounts optimized) => new(call, naive, optimized, Classify(naive, optimized));

    private static string Classify(CallCounts naive, CallCounts optimized) =>
        optimized.All < naive.All ? (optimized.All == 0 ? "removed" : $"{naive.All - optimized.All} of {naive.All} removed")
        : optimized.OffPath > naive.OffPath && optimized.OnPath < naive.OnPath ? "moved off the critical path"
        : optimized.All > naive.All ? "added"
        : naive.OnPath > 0 && optimized.OnPath == naive.OnPath && optimized.MeanMs < naive.MeanMs * TraceDiff.ShortenedBelow ? "shortened"
        : "unchanged";
}

/// <summary>
/// A kind of call in one trace: its spans on the critical path and off it, their time on the path (what they alone
/// account for there) and the mean duration of all its spans, ms.
/// </summary>
public sealed record CallCounts(int OnPath, int OffPath, double PathMs, double MeanMs)
{
    public static CallCounts None { get; } = new(0, 0, 0, 0);

    public int All => OnPath + OffPath;

    public static IReadOnlyDictionary<string, CallCounts> Of(CriticalPath path)
    {
        var ownOnPath = path.Segments.ToDictionary(s => s.Span.SpanId, s => s.OwnMs, StringComparer.Ordinal);
        return path.Spans.Where(s => s != path.Root).GroupBy(TraceDiff.CallOf, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => new CallCounts(
                g.Count(path.Contains), g.Count(s => !path.Contains(s)),
                Math.Round(g.Sum(s => ownOnPath.GetValueOrDefault(s.SpanId)), 3), Math.Round(g.Average(s => s.DurationMs), 3)),
            StringComparer.Ordinal);
    }
}

/// <summary>
/// The time a service alone accounts for on each critical path (its spans' own time there), ms. A database call's own time
/// (a client span with nothing under it) is the database's — "postgresql", "redis" — not the caller's, which only waited.
/// </summary>
public sealed record ServiceTime(string Service, double NaiveMs, double OptimizedMs)
{
    public static IReadOnlyList<ServiceTime> Of(CriticalPath naive, CriticalPath optimized)
    {
        var before = ByService(naive);
        var after = ByService(optimized);
        return [.. before.Keys.Union(after.Keys, StringComparer.Ordinal)
            .Select(service => new ServiceTime(service, before.GetValueOrDefault(service), after.GetValueOrDefault(service)))
            .OrderByDescending(s => s.NaiveMs).ThenBy(s => s.Service, StringComparer.Ordinal)];
    }

    private static Dictionary<string, double> ByService(CriticalPath path) =>
        path.Segments.GroupBy(s => Owner(s.Span), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Math.Round(g.Sum(s => s.OwnMs), 3), StringComparer.Ordinal);

    private static string Owner(TraceSpan span) =>
        span.Tags.TryGetValue("db.system.name", out var database) || span.Tags.TryGetValue("db.system", out database) ? database : span.Service;
}
