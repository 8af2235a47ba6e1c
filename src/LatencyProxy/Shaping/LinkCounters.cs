namespace PerfReference.LatencyProxy.Shaping;

/// <summary>What a link has carried, over all its connections and both directions: bytes delivered, and the most one direction held at once.</summary>
public sealed class LinkCounters
{
    private long _forwardedBytes;
    private int _peakHeldBytes;

    /// <summary>Bytes handed to the receiving side's socket.</summary>
    public long ForwardedBytes => Interlocked.Read(ref _forwardedBytes);

    /// <summary>The most bytes one direction of one connection held at once, read and not yet delivered (its read-ahead bounds it).</summary>
    public int PeakHeldBytes => Volatile.Read(ref _peakHeldBytes);

    internal void Forwarded(int bytes) => Interlocked.Add(ref _forwardedBytes, bytes);

    internal void Holding(int bytes)
    {
        int peak;
        while (bytes > (peak = Volatile.Read(ref _peakHeldBytes)) && Interlocked.CompareExchange(ref _peakHeldBytes, bytes, peak) != peak)
        {
        }
    }
}
