using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;

namespace PerfReference.LatencyProxy;

/// <summary>
/// One direction of a proxied connection. Each chunk read is stamped with the time it may arrive
/// (read time + one-way delay, and no earlier than the link has finished sending what came before
/// at the profile's bandwidth) and written then, in order. Reading never waits for writing, so
/// a delay adds latency without cutting throughput, as on a real long link.
/// </summary>
internal sealed class ShapedLink(Socket from, Socket to, NetworkProfile profile, DelayScheduler clock)
{
    private const int ChunkSize = 16 * 1024;

    private readonly Channel<(byte[] Data, int Length, long DueTimestamp)> _inFlight =
        Channel.CreateUnbounded<(byte[], int, long)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public Task RunAsync(CancellationToken ct) => Task.WhenAll(ReadAsync(ct), WriteAsync(ct));

    private async Task ReadAsync(CancellationToken ct)
    {
        var linkFreeAt = 0L;
        try
        {
            while (true)
            {
                var buffer = new byte[ChunkSize];
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, ct);
                if (read == 0)
                {
                    break;
                }

                var due = Stopwatch.GetTimestamp() + ToTicks(profile.OneWay);
                if (profile.BytesPerSecond is { } rate)
                {
                    // The chunk leaves when the link is free and arrives once all of it is across.
                    linkFreeAt = Math.Max(linkFreeAt, due) + ToTicks(TimeSpan.FromSeconds((double)read / rate));
                    due = linkFreeAt;
                }

                await _inFlight.Writer.WriteAsync((buffer, read, due), ct);
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
