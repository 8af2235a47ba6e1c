using System.Collections.Concurrent;
using System.Globalization;

namespace PerfReference.LoadLab.Engine;

/// <summary>
/// The trace id of every measured request of a variant whose trace the service recorded, beside its latency: the lab
/// reads back from the dashboard the trace of the request nearest a percentile. Sixteen bytes and a latency a request,
/// appended without a lock.
/// </summary>
public sealed class TracedRequests
{
    private readonly ConcurrentQueue<TracedRequest> _requests = new();

    public int Count => _requests.Count;

    public void Add(long latencyMicroseconds, UInt128 traceId) => _requests.Enqueue(new TracedRequest(latencyMicroseconds, traceId));

    /// <summary>
    /// The requests nearest to <paramref name="microseconds"/>, nearest first, at most <paramref name="count"/> (ties: the
    /// earlier request first, so the same requests give the same answer).
    /// </summary>
    /// <param name="amongNewest">Only among the newest this many requests (in the order they answered), when given.</param>
    public IReadOnlyList<TracedRequest> Nearest(long microseconds, int count, int? amongNewest = null) =>
        [.. _requests.Select((request, order) => (request, order))
            .Skip(amongNewest is { } newest ? Math.Max(0, _requests.Count - newest) : 0)
            .OrderBy(r => Math.Abs(r.request.LatencyMicroseconds - microseconds)).ThenBy(r => r.order)
            .Take(count).Select(r => r.request)];
}

/// <summary>A measured request whose trace was recorded: its latency (µs, as the variant's histogram has it) and its trace id.</summary>
public readonly record struct TracedRequest(long LatencyMicroseconds, UInt128 TraceId)
{
    /// <summary>The trace id as W3C Trace Context writes it: 32 lowercase hexadecimal digits.</summary>
    public string TraceIdHex => TraceId.ToString("x32", CultureInfo.InvariantCulture);
}

/// <summary>
/// The <c>traceresponse</c> header a lab request hears back (W3C Trace Context Level 2): <c>00-&lt;trace id&gt;-&lt;span id&gt;-&lt;flags&gt;</c>.
/// </summary>
public static class TraceResponse
{
    /// <summary>The trace id of a well-formed header whose trace was recorded (flags with the sampled bit); otherwise null.</summary>
    public static UInt128? RecordedTraceId(string? header)
    {
        var parts = header?.Trim().Split('-');
        return parts is [{ Length: 2 } version, { Length: 32 } trace, { Length: 16 }, { Length: 2 } flags]
               && version != "ff"
               && UInt128.TryParse(trace, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id) && id != UInt128.Zero
               && byte.TryParse(flags, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var bits) && (bits & 1) == 1
            ? id
            : null;
    }
}
