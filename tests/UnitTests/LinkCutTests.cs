using System.Net;
using System.Net.Sockets;
using PerfReference.LatencyProxy;
using PerfReference.LatencyProxy.Calibration;
using PerfReference.Topology;
using static PerfReference.LatencyProxy.Calibration.LinkCalibration;

namespace PerfReference.UnitTests;

/// <summary>
/// A link cut off for a while (the silo-cut-off drill's fault), against real sockets on loopback: asked for in-band, it
/// drops everything on the connections it carries and on those opened meanwhile, closes them when it heals, and relays
/// new connections again.
/// </summary>
public sealed class LinkCutTests
{
    private static readonly TimeSpan CutLength = TimeSpan.FromSeconds(1.5);

    /// <summary>Long enough to tell silence from a loopback echo (microseconds), well inside the cut.</summary>
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task ACutLinkCarriesNothingUntilItHealsThenClosesWhatItCaughtAndRelaysAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var echo = EchoServer.Start();
        await using var proxy = TcpLatencyProxy.Start(0, echo.EndPoint, NetworkProfile.Loopback);
        using var before = await ConnectAsync(proxy, ct);
        Assert.True(await EchoesAsync(before, ct), "the link relays before the cut");

        await LinkCut.SendAsync(new IPEndPoint(IPAddress.Loopback, proxy.Port), CutLength, ct);
        var healsAt = DateTime.UtcNow + CutLength;
        using var during = await ConnectAsync(proxy, ct); // accepted, as a partition's far side would not say no either

        Assert.True(proxy.Cut.IsCut);
        Assert.False(await EchoesAsync(before, ct), "a connection the cut caught carries nothing");
        Assert.False(await EchoesAsync(during, ct), "a connection opened during the cut carries nothing");
        Assert.True(DateTime.UtcNow < healsAt, "the silence was checked inside the cut");

        Assert.True(await ClosedAsync(before, ct), "a connection the cut caught is closed when it heals");
        Assert.True(await ClosedAsync(during, ct), "a connection opened during the cut is closed when it heals");
        Assert.False(proxy.Cut.IsCut);
        using var after = await ConnectAsync(proxy, ct);
        Assert.True(await EchoesAsync(after, ct), "a new connection is relayed once the link has healed");
    }

    [Theory]
    [InlineData(true, true)]   // the upstream's preamble, relayed before the proxy knew it was a cut, then the echo
    [InlineData(false, true)]
    [InlineData(true, false)]  // a preamble and then something else: not a proxy
    public async Task TheCutIsConfirmedByItsEchoWhateverTheUpstreamSaidFirst(bool upstreamSpeaksFirst, bool echoes)
    {
        var ct = TestContext.Current.CancellationToken;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var request = LinkCut.Request(CutLength);
        var answering = Task.Run(async () =>
        {
            using var link = await listener.AcceptSocketAsync(ct);
            if (upstreamSpeaksFirst)
            {
                await link.SendAsync("t\0\0\0 sys.silo preamble"u8.ToArray(), SocketFlags.None, ct);
            }

            await ReceiveExactlyAsync(link, request.Length, ct);
            await link.SendAsync(echoes ? request : "HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray(), SocketFlags.None, ct);
            link.Shutdown(SocketShutdown.Send);
        }, ct);

        var cut = LinkCut.SendAsync(listener.LocalEndpoint, CutLength, ct);

        if (echoes)
        {
            await cut;
        }
        else
        {
            await Assert.ThrowsAsync<IOException>(() => cut);
        }

        await answering;
    }

    [Theory]
    [InlineData("PERFREF-LINK-CUT/1 20000\r\n", true, 20_000)]
    [InlineData("PERFREF-LINK-CUT/1 20000\r\nmore", true, 20_000)]
    [InlineData("PERFREF-LINK-CUT/1 999999999\r\n", true, 300_000)] // at most five minutes: a partition, not an outage left behind
    [InlineData("PERFREF-LINK-CUT/1 20000", false, 0)]             // no line end
    [InlineData("PERFREF-LINK-CUT/1 -5\r\n", false, 0)]
    [InlineData("PERFREF-LINK-PROBE/1\r\n", false, 0)]
    [InlineData("GET / HTTP/1.1\r\n", false, 0)]
    public void OnlyTheCutsOwnLineAsksForACut(string opening, bool isRequest, int milliseconds)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(opening);

        Assert.Equal(isRequest, LinkCut.IsRequest(bytes, out var length, out var line));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), length);
        Assert.Equal(isRequest ? opening.IndexOf("\r\n", StringComparison.Ordinal) + 2 : 0, line);
    }

    /// <summary>One byte there and back within <see cref="Silence"/>: false when nothing comes back by then.</summary>
    private static async Task<bool> EchoesAsync(Socket socket, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Silence);
        try
        {
            await socket.SendAsync(new byte[] { 42 }, SocketFlags.None, ct);
            return (await ReceiveExactlyAsync(socket, 1, timeout.Token))[0] == 42;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Whether the proxy closes the connection (an end of stream or a reset) within a few seconds.</summary>
    private static async Task<bool> ClosedAsync(Socket socket, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var buffer = new byte[16];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
                // Whatever the cut held back may still arrive before the end: only the end counts.
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
