using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PerfReference.LatencyProxy;

namespace PerfReference.UnitTests;

/// <summary>
/// The proxy against real sockets on loopback. Its delays are measured as medians of many round
/// trips, and the suite runs one test module at a time (scripts/test.sh), so the machine is quiet.
/// </summary>
public sealed class LatencyProxyTests
{
    [Fact]
    public async Task BytesArriveIntactAndInOrderBothWays()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var echo = EchoServer.Start();
        await using var proxy = TcpLatencyProxy.Start(0, echo.EndPoint, NetworkProfile.Seed);
        var payload = new byte[256 * 1024];
        new Random(7).NextBytes(payload);

        using var client = await ConnectAsync(proxy, ct);
        var sending = client.SendAsync(payload, SocketFlags.None, ct).AsTask();
        var received = await ReceiveExactlyAsync(client, payload.Length, ct);
        await sending;

        Assert.Equal(payload, received);
    }

    [Theory]
    [InlineData("cross-zone")]
    [InlineData("seed")]
    [InlineData("wan")]
    public async Task ARoundTripTakesTheProfilesDelayWithinTwentyPercent(string profileName)
    {
        var ct = TestContext.Current.CancellationToken;
        var profile = NetworkProfile.Parse(profileName);
        await using var echo = EchoServer.Start();
        await using var proxy = TcpLatencyProxy.Start(0, echo.EndPoint, profile);
        using var client = await ConnectAsync(proxy, ct);

        var roundTrips = new List<TimeSpan>();
        for (var i = 0; i < 25; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await client.SendAsync(new byte[] { (byte)i }, SocketFlags.None, ct);
            await ReceiveExactlyAsync(client, 1, ct);
            roundTrips.Add(Stopwatch.GetElapsedTime(started));
        }

        var median = roundTrips.Order().ElementAt(roundTrips.Count / 2);
        TestContext.Current.TestOutputHelper?.WriteLine($"{profile.Name}: median round trip {median.TotalMilliseconds:F2} ms over {roundTrips.Count} (min {roundTrips.Min().TotalMilliseconds:F2}, max {roundTrips.Max().TotalMilliseconds:F2})");
        Assert.True(roundTrips.Min() >= profile.RoundTrip, $"A round trip took {roundTrips.Min().TotalMilliseconds:F2} ms, less than the profile's {profile.RoundTrip.TotalMilliseconds} ms.");
        Assert.InRange(median.TotalMilliseconds, profile.RoundTrip.TotalMilliseconds * 0.8, profile.RoundTrip.TotalMilliseconds * 1.2);
    }

    [Fact]
    public async Task TheWanProfileLimitsBandwidthToTenMegabitsPerSecond()
    {
        var ct = TestContext.Current.CancellationToken;
        const int size = 500_000;
        await using var sink = EchoServer.Start(replyAfterBytes: size);
        await using var proxy = TcpLatencyProxy.Start(0, sink.EndPoint, NetworkProfile.Wan);
        using var client = await ConnectAsync(proxy, ct);

        var started = Stopwatch.GetTimestamp();
        await client.SendAsync(new byte[size], SocketFlags.None, ct);
        await ReceiveExactlyAsync(client, 1, ct);
        var elapsed = Stopwatch.GetElapsedTime(started);

        // 500 kB at 1.25 MB/s is 400 ms on the wire, plus the 40 ms round trip.
        var expected = TimeSpan.FromSeconds((double)size / NetworkProfile.Wan.BytesPerSecond!.Value) + NetworkProfile.Wan.RoundTrip;
        TestContext.Current.TestOutputHelper?.WriteLine($"wan: {size:N0} bytes and a reply in {elapsed.TotalMilliseconds:F0} ms (expected {expected.TotalMilliseconds:F0} ms)");
        Assert.InRange(elapsed.TotalMilliseconds, expected.TotalMilliseconds * 0.8, expected.TotalMilliseconds * 1.2);
    }

    [Fact]
    public void AnUnknownProfileNamesTheKnownOnes() =>
        Assert.Contains("datacenter", Assert.Throws<ArgumentException>(() => NetworkProfile.Parse("lan")).Message);

    private static async Task<Socket> ConnectAsync(TcpLatencyProxy proxy, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, proxy.Port), ct);
        return socket;
    }

    private static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int count, CancellationToken ct)
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

    /// <summary>Echoes what it receives, or, with <c>replyAfterBytes</c>, answers one byte once it has read that many.</summary>
    private sealed class EchoServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stopping = new();

        private EchoServer(int? replyAfterBytes)
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _ = ServeAsync(replyAfterBytes, _stopping.Token);
        }

        public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

        public static EchoServer Start(int? replyAfterBytes = null) => new(replyAfterBytes);

        private async Task ServeAsync(int? replyAfterBytes, CancellationToken ct)
        {
            try
            {
                while (true)
                {
                    var connection = await _listener.AcceptSocketAsync(ct);
                    _ = Task.Run(async () =>
                    {
                        using (connection)
                        {
                            connection.NoDelay = true;
                            var buffer = new byte[64 * 1024];
                            long total = 0;
                            int read;
                            while ((read = await connection.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
                            {
                                total += read;
                                if (replyAfterBytes is null)
                                {
                                    await connection.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct);
                                }
                                else if (total >= replyAfterBytes)
                                {
                                    await connection.SendAsync(new byte[] { 1 }, SocketFlags.None, ct);
                                    return;
                                }
                            }
                        }
                    }, ct);
                }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stopping.CancelAsync();
            _listener.Stop();
            _stopping.Dispose();
        }
    }
}
