using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report.Traces;

/// <summary>
/// The critical path of a kept trace: the chain of spans that decided when its root ended. Walked back from the root's
/// end, each span's time on the path is its own (no child running) plus the path of the child that ended last before
/// the moment reached — as Jaeger and Tempo draw it. A child that ran beside another that ended later is off the path,
/// and so is everything a span started that ended after the span itself (work moved after the answer).
/// </summary>
public sealed class CriticalPath
{
    private CriticalPath(TraceSpan root, IReadOnlyList<PathSegment> segments, IReadOnlyList<TraceSpan> spans)
    {
        Root = root;
        Segments = segments;
        OnPath = segments.Select(s => s.Span.SpanId).ToHashSet(StringComparer.Ordinal);
        Spans = spans;
    }

    /// <summary>The span the path is of: the longest span without a parent in the trace (the earliest of equals).</summary>
    public TraceSpan Root { get; }

    /// <summary>Each span on the path with the time it alone accounts for on it; the times add up to the root's duration.</summary>
    public IReadOnlyList<PathSegment> Segments { get; }

    /// <summary>Every span of the trace, on the path or not.</summary>
    public IReadOnlyList<TraceSpan> Spans { get; }

    private IReadOnlySet<string> OnPath { get; }

    public bool Contains(TraceSpan span) => OnPath.Contains(span.SpanId);

    /// <summary>The critical path of a trace's spans; null for a trace without spans.</summary>
    public static CriticalPath? Of(IReadOnlyList<TraceSpan> spans)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var root = spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId))
            .OrderByDescending(s => s.DurationMs).ThenBy(s => s.StartMs).ThenBy(s => s.SpanId, StringComparer.Ordinal)
            .FirstOrDefault();
        if (root is null)
        {
            return null;
        }

        var children = spans.Where(s => s.ParentSpanId is not null).ToLookup(s => s.ParentSpanId!, StringComparer.Ordinal);
        var segments = new List<PathSegment>();
        Walk(root, root.EndMs, children, segments);
        return new CriticalPath(root, segments, spans);
    }

    /// <summary>
    /// The path inside <paramref name="span"/> up to <paramref name="until"/> (the moment its parent's path reached it):
    /// from there back to its start, the child that ended last (within the window) is followed; the gaps are the span's own.
    /// </summary>
    /// <summary>Spans are kept to the microsecond: a child may seem to end that much after its parent.</summary>
    private const double Tolerance = 0.001;

    private static void Walk(TraceSpan span, double until, ILookup<string, TraceSpan> children, List<PathSegment> segments)
    {
        var end = Math.Min(span.EndMs, until);
        var cursor = end;
        var own = 0.0;
        // A child that outlived its parent was not waited for (work after the answer): never on the parent's path.
        var inside = children[span.SpanId].Where(c => c.StartMs < end && c.EndMs <= span.EndMs + Tolerance).ToArray();
        while (cursor > span.StartMs)
        {
            var next = inside.Where(c => c.StartMs < cursor && c.EndMs > span.StartMs)
                .OrderByDescending(c => Math.Min(c.EndMs, cursor)).ThenBy(c => c.StartMs).ThenBy(c => c.SpanId, StringComparer.Ordinal)
                .FirstOrDefault();
            if (next is null)
            {
                own += cursor - span.StartMs;
                break;
            }

            var childEnd = Math.Min(next.EndMs, cursor);
            own += cursor - childEnd;
            Walk(next, childEnd, children, segments);
            cursor = Math.Max(next.StartMs, span.StartMs);
            inside = [.. inside.Where(c => c != next)];
        }

        segments.Add(new PathSegment(span, Math.Round(own, 3)));
    }
}

/// <summary>A span on a critical path and the time it alone accounts for there (ms).</summary>
public sealed record PathSegment(TraceSpan Span, double OwnMs);
