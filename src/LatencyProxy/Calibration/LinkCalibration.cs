using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PerfReference.Topology;

namespace PerfReference.LatencyProxy.Calibration;

public sealed record RoundTripMeasurement(NetworkProfile Profile, int Count, TimeSpan Min, TimeSpan Median, TimeSpan P99, TimeSpan Max)
{
    /// <summary>The figures of a non-empty set of round trips (sorted here): the median and p99 by nearest rank.</summary>
    public static RoundTripMeasurement Of(NetworkProfile profile, List<TimeSpan> roundTrips)
    {
        roundTrips.Sort();
        var count = roundTrips.Count;
        return new RoundTripMeasurement(profile, count, roundTrips[0], roundTrips[count / 2],
            roundTrips[Math.Min(count - 1, (int)Math.Ceiling(count * 0.99) - 1)], roundTrips[^1]);
    }
}

public sealed record BandwidthMeasurement(NetworkProfile Profile, int Bytes, TimeSpan Elapsed)
{
    /// <summary>Bytes per second, with the one round trip the measurement also paid taken out.</summary>
    public double BytesPerSecond => Bytes / Math.Max((Elapsed - Profile.RoundTrip).TotalSeconds, 1e-6);
}

/// <summary>
/// Measures what a profile really adds on this machine: 1-byte pings through a proxy to an echo
/// server (round trips), and a transfer into a sink (bandwidth). The proof behind "seed = 5 ms".
/// </summary>
public static class LinkCalibration
{
    public static async Task<RoundTripMeasurement> MeasureRoundTripsAsync(NetworkProfile profile, int count, CancellationToken ct)
    {
        await using var echo = EchoServer.Start();
        await using var proxy = TcpLatencyProxy.Start(0, echo.EndPoint, profile);
        using var client = await ConnectAsync(proxy, ct);

        var roundTrips = new List<TimeSpan>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await client.SendAsync(new[] { (byte)i }, SocketFlags.None, ct);
            await ReceiveExactlyAsync(client, 1, ct);
            roundTrips.Add(Stopwatch.GetElapsedTime(started));
        }

        return RoundTripMeasurement.Of(profile, roundTrips);
    }

    public static async Task<BandwidthMeasurement> MeasureBandwidthAsync(NetworkProfile profile, int bytes, CancellationToken ct)
    {
        await using var sink = EchoServer.Start(replyAfterBytes: bytes);
        await using var proxy = TcpLatencyProxy.Start(0, sink.EndPoint, profile);
        using var client = await ConnectAsync(proxy, ct);

        var started = Stopwatch.GetTimestamp();
        await client.SendAsync(new byte[bytes], SocketFlags.None, ct);
        await ReceiveExactlyAsync(client, 1, ct);
        return new BandwidthMeasurement(profile, bytes, Stopwatch.GetElapsedTime(started));
    }

    public static async Task<Socket> ConnectAsync(TcpLatencyProxy proxy, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, proxy.Port), ct);
            return socket;
        }
        catch
        {
            socket.Dispose(); // a connection that failed must not keep its descriptor until a finalizer runs
            throw;
        }
    }

    public static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        var received = 0;
        while (received < count)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, ct);
            if (read == 0)
            {
                throw new IOException($"The connection closed after {received} of {count} bytes.");
            }

            received += read;
        }

        return buffer;
    }
}
