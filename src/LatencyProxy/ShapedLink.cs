using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;
using PerfReference.Topology;

namespace PerfReference.LatencyProxy;

/// <summary>
/// One direction of a proxied connection. Each chunk read is stamped with the time it may arrive
/// (read time + one-way delay, and no earlier than the link has finished sending what came before
/// at the profile's bandwidth) and written then, in order. Reading never waits for writing, so
/// a delay adds latency without cutting throughput, as on a real long link. A connection's
/// <paramref name="opening"/>, when the proxy read it first (to tell a probe from real traffic),
/// goes first, stamped with the time it was read.
/// </summary>
internal sealed class ShapedLink(Socket from, Socket to, NetworkProfile profile, DelayScheduler clock, Opening? opening = null)
{
    public const int ChunkSize = 16 * 1024;

    private readonly Channel<(byte[] Data, int Length, long DueTimestamp)> _inFlight =
        Channel.CreateUnbounded<(byte[], int, long)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private long _linkFreeAt;

    public Task RunAsync(CancellationToken ct) => Task.WhenAll(ReadAsync(ct), WriteAsync(ct));

    private async Task ReadAsync(CancellationToken ct)
    {
        try
        {
            if (opening is { } first)
            {
                if (first.Length == 0)
                {
                    return; // the peer closed (or reset) before it sent anything
                }

                await SendOnAsync(first.Data, first.Length, first.ReadTimestamp, ct);
            }

            while (true)
            {
                var buffer = new byte[ChunkSize];
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, ct);
                if (read == 0)
                {
                    break;
                }

                await SendOnAsync(buffer, read, Stopwatch.GetTimestamp(), ct);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _inFlight.Writer.TryComplete();
        }
    }

    private ValueTask SendOnAsync(byte[] data, int length, long readTimestamp, CancellationToken ct)
    {
        var due = readTimestamp + ToTicks(profile.OneWay);
        if (profile.BytesPerSecond is { } rate)
        {
            // The chunk leaves when the link is free and arrives once all of it is across.
            _linkFreeAt = Math.Max(_linkFreeAt, due) + ToTicks(TimeSpan.FromSeconds((double)length / rate));
            due = _linkFreeAt;
        }

        return _inFlight.Writer.WriteAsync((data, length, due), ct);
    }

    private async Task WriteAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var (data, length, due) in _inFlight.Reader.ReadAllAsync(ct))
            {
                await clock.WaitUntilAsync(due).WaitAsync(ct);
                var sent = 0;
                while (sent < length)
                {
                    sent += await to.SendAsync(data.AsMemory(sent, length - sent), SocketFlags.None, ct);
                }
            }

            to.Shutdown(SocketShutdown.Send); // pass the end of the stream on, as the peer sent it
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static long ToTicks(TimeSpan duration) => (long)(duration.TotalSeconds * Stopwatch.Frequency);
}

/// <summary>The first chunk a client sent on a connection, and when the proxy read it; empty when the client closed first.</summary>
internal readonly record struct Opening(byte[] Data, int Length, long ReadTimestamp)
{
    public ReadOnlySpan<byte> Span => Data.AsSpan(0, Length);

    public static async Task<Opening> ReadAsync(Socket client, CancellationToken ct)
    {
        var buffer = new byte[ShapedLink.ChunkSize];
        try
        {
            var read = await client.ReceiveAsync(buffer, SocketFlags.None, ct);
            return new Opening(buffer, read, Stopwatch.GetTimestamp());
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            return new Opening(buffer, 0, Stopwatch.GetTimestamp()); // as the link itself would: the end of the stream
        }
    }
}
