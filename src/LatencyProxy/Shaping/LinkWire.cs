using System.Diagnostics;
using PerfReference.Topology;

namespace PerfReference.LatencyProxy.Shaping;

/// <summary>
/// One direction of a link, shared by all of its connections: when bytes read may arrive at the other end. Read time
/// plus the one-way delay, and, on a link with a bandwidth, no earlier than the link has carried everything read before
/// them — on any connection — at that rate (a segment leaves when the link is free and arrives once all of it is
/// across): the bandwidth is the link's, as on a real line, not each connection's. Due times never go backwards, so
/// bytes arrive in the order they were read. Timestamps are Stopwatch ticks.
/// </summary>
internal sealed class LinkWire(NetworkProfile profile)
{
    private readonly long _oneWay = ToTicks(profile.OneWay.TotalSeconds);
    private readonly Lock _gate = new();
    private long _linkFreeAt;
    private long _lastDue;

    /// <summary>How many bytes one direction of one connection may hold, read and not yet delivered (<see cref="ReadAheadOf"/>).</summary>
    public int ReadAhead { get; } = ReadAheadOf(profile);

    /// <summary>How many bytes one direction may hold, read and not yet delivered: about one bandwidth-delay product.</summary>
    public static int ReadAheadOf(NetworkProfile profile) => profile.BytesPerSecond is { } rate
        ? (int)Math.Clamp(rate * profile.RoundTrip.TotalSeconds, MinReadAhead, UnlimitedReadAhead)
        : UnlimitedReadAhead;

    /// <summary>Two segments: a link keeps one on the wire while the next is read.</summary>
    public const int MinReadAhead = 2 * SegmentSize;

    /// <summary>
    /// A link without a bandwidth limit still holds no more than this (a loopback socket's buffers hold about as much):
    /// it bounds the proxy's memory, not the link's speed (1 MiB per 2.5 ms one way is 400 MB/s).
    /// </summary>
    public const int UnlimitedReadAhead = 1024 * 1024;

    /// <summary>The most one read takes from a socket.</summary>
    public const int SegmentSize = 16 * 1024;

    /// <summary>The moment <paramref name="length"/> bytes read at <paramref name="readTimestamp"/> arrive.</summary>
    public long DueOf(long readTimestamp, int length)
    {
        var due = readTimestamp + _oneWay;
        lock (_gate)
        {
            if (profile.BytesPerSecond is { } rate)
            {
                _linkFreeAt = Math.Max(_linkFreeAt, due) + ToTicks((double)length / rate);
                due = _linkFreeAt;
            }

            // A read stamped a moment before the one ahead of it (two threads, two connections) still arrives after it.
            _lastDue = Math.Max(_lastDue, due);
            return _lastDue;
        }
    }

    private static long ToTicks(double seconds) => (long)(seconds * Stopwatch.Frequency);
}
