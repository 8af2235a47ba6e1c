using System.Net;
using System.Net.Sockets;
using System.Text;
using PerfReference.LatencyProxy;
using PerfReference.Topology;
using static PerfReference.LatencyProxy.Calibration.LinkCalibration;

namespace PerfReference.UnitTests;

/// <summary>
/// A probe through a link crosses both of its delays to an echo inside the proxy, and never reaches the upstream; an
/// ordinary connection is relayed as before, even one whose server speaks first. Only lower bounds on time: a loaded
/// machine adds delay, it never removes it.
/// </summary>
public sealed class LinkProbeTests
{
    private static readonly NetworkProfile TwentyMilliseconds = new("test-20ms", TimeSpan.FromMilliseconds(20));

    [Fact]
    public async Task AProbeIsEchoedInsideTheProxyAcrossBothDelaysAndTheUpstreamGetsNoByte()
    {
        var ct = TestContext.Current.CancellationToken;
        using var upstream = Listen();
        var upstreamReceived = CountBytesOfOneConnectionAsync(upstream, ct);
        await using var proxy = TcpLatencyProxy.Start(0, upstream.LocalEndPoint!, TwentyMilliseconds);

        // The probe blocks, as the lab's probe threads do: on a thread of its own here too.
        var roundTrips = await Task.Factory.StartNew(() =>
        {
            using var probe = LinkProbe.Connect(new IPEndPoint(IPAddress.Loopback, proxy.Port), TimeSpan.FromSeconds(10));
            return Enumerable.Range(0, 5).Select(_ => probe.RoundTrip()).ToArray();
        }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        Assert.All(roundTrips, roundTrip => Assert.True(roundTrip >= TwentyMilliseconds.RoundTrip,
            $"A probe came back in {roundTrip.TotalMilliseconds:F2} ms, less than the link's {TwentyMilliseconds.RoundTrip.TotalMilliseconds} ms."));
        Assert.Equal(0, await upstreamReceived); // the proxy connected to it, as for any client, and closed without a byte
    }

    [Fact]
    public async Task AServerThatSpeaksFirstIsRelayedBeforeTheClientSendsAnything()
    {
        var ct = TestContext.Current.CancellationToken;
        using var upstream = Listen();
        var greeting = "220 ready\r\n"u8.ToArray();
        var serving = GreetThenEchoAsync(upstream, greeting, ct);
        await using var proxy = TcpLatencyProxy.Start(0, upstream.LocalEndPoint!, TwentyMilliseconds);

        using var client = await ConnectAsync(proxy, ct);
        var received = await ReceiveExactlyAsync(client, greeting.Length, ct); // nothing sent yet
        await client.SendAsync("QUIT\r\n"u8.ToArray(), SocketFlags.None, ct);
        var echoed = await ReceiveExactlyAsync(client, 6, ct);

        Assert.Equal(greeting, received);
        Assert.Equal("QUIT\r\n", Encoding.ASCII.GetString(echoed));
        client.Shutdown(SocketShutdown.Send);
        await serving;
    }

    [Fact]
    public async Task AnOrdinaryClientWhoseFirstBytesAreNotTheProbeReachesTheUpstream()
    {
        var ct = TestContext.Current.CancellationToken;
        using var upstream = Listen();
        var upstreamReceived = CountBytesOfOneConnectionAsync(upstream, ct);
        await using var proxy = TcpLatencyProxy.Start(0, upstream.LocalEndPoint!, TwentyMilliseconds);

        using (var client = await ConnectAsync(proxy, ct))
        {
            // One byte short of the probe's line: real traffic.
            await client.SendAsync(LinkProbe.Magic[..^1].ToArray(), SocketFlags.None, ct);
            client.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, await client.ReceiveAsync(new byte[1], SocketFlags.None, ct)); // the upstream closed, as it does
        }

        Assert.Equal(LinkProbe.Magic.Length - 1, await upstreamReceived);
    }

    [Fact]
    public async Task AProbeOfSomethingThatDoesNotAnswerProbesFailsInsteadOfWaiting()
    {
        var ct = TestContext.Current.CancellationToken;
        using var silent = Listen(); // accepts (the kernel does) and never answers, as a server waiting for the rest of a packet

        var error = await Task.Factory.StartNew(
            () => Record.Exception(() => LinkProbe.Connect(silent.LocalEndPoint!, TimeSpan.FromMilliseconds(200)).Dispose()),
            ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        Assert.True(error is SocketException or IOException, $"Expected a socket or I/O error, got {error?.GetType().Name ?? "none"}.");
    }

    [Theory]
    [InlineData(true)]  // what a silo said as it accepted, relayed before the proxy knew the connection was a probe, then the echo
    [InlineData(false)]
    public async Task AProbeIsOpenedByItsEchoWhateverTheUpstreamSaidFirst(bool upstreamSpeaksFirst)
    {
        var ct = TestContext.Current.CancellationToken;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var answering = Task.Run(async () =>
        {
            using var link = await listener.AcceptSocketAsync(ct);
            if (upstreamSpeaksFirst)
            {
                await link.SendAsync("t\0\0\0 sys.silo preamble"u8.ToArray(), SocketFlags.None, ct);
            }

            var buffer = new byte[64];
            int read;
            while ((read = await link.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
            {
                await link.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct); // the echo: the magic line, then each probe byte
            }
        }, ct);

        var roundTrips = await Task.Factory.StartNew(() =>
        {
            using var probe = LinkProbe.Connect(listener.LocalEndpoint, TimeSpan.FromSeconds(10));
            return Enumerable.Range(0, 3).Select(_ => probe.RoundTrip()).Count();
        }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        Assert.Equal(3, roundTrips); // each probe byte came back as itself: the preamble was not taken for the echo
        await answering;
    }

    [Fact]
    public void OnlyTheWholeMagicLineOpensAProbe()
    {
        Assert.True(LinkProbe.IsProbe(LinkProbe.Magic));
        Assert.False(LinkProbe.IsProbe(LinkProbe.Magic[..^1]));
        Assert.False(LinkProbe.IsProbe("PING\r\n"u8));
        Assert.False(LinkProbe.IsProbe("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8));
        Assert.False(LinkProbe.IsProbe([0, 0, 0, 8, 4, 210, 22, 47])); // PostgreSQL's SSLRequest
    }

    private static Socket Listen()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(8);
        return listener;
    }

    /// <summary>Accepts one connection and counts what arrives on it until the other side closes.</summary>
    private static async Task<int> CountBytesOfOneConnectionAsync(Socket listener, CancellationToken ct)
    {
        using var connection = await listener.AcceptAsync(ct);
        var (buffer, total) = (new byte[4096], 0);
        int read;
        while ((read = await connection.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static async Task GreetThenEchoAsync(Socket listener, byte[] greeting, CancellationToken ct)
    {
        using var connection = await listener.AcceptAsync(ct);
        await connection.SendAsync(greeting, SocketFlags.None, ct);
        var buffer = new byte[4096];
        int read;
        while ((read = await connection.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
        {
            await connection.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct);
        }
    }
}
