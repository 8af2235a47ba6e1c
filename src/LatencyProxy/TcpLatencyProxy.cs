using System.Buffers;
using System.Net;
using System.Net.Sockets;
using PerfReference.LatencyProxy.Calibration;
using PerfReference.LatencyProxy.Shaping;
using PerfReference.Topology;

namespace PerfReference.LatencyProxy;

/// <summary>
/// Listens on a loopback port and relays every connection to an upstream endpoint through two
/// <see cref="ShapedLink"/>s, one per direction, so each round trip pays the profile's latency and
/// each byte its bandwidth (the link's, shared by its connections: one <see cref="LinkWire"/> per direction). A connection that opens with <see cref="LinkProbe.Magic"/> is a probe of
/// the link: it crosses the same two links to an echo inside the proxy instead of the upstream. One that opens with a
/// <see cref="LinkCut"/> request cuts the link off for a while. Every proxy of a
/// process releases its bytes from the same clock thread (<see cref="LinkClock.Shared"/>).
/// </summary>
public sealed class TcpLatencyProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly EndPoint _upstream;
    private readonly CancellationTokenSource _stopping = new();
    private readonly LinkClock _clock = LinkClock.Shared;
    private readonly LinkWire _toUpstream;
    private readonly LinkWire _toClient;
    private readonly Lazy<EchoServer> _probeEcho = new(() => EchoServer.Start());
    private readonly Task _accepting;

    private TcpLatencyProxy(Socket listener, EndPoint upstream, NetworkProfile profile)
    {
        _listener = listener;
        _upstream = upstream;
        Profile = profile;
        (_toUpstream, _toClient) = (new LinkWire(profile), new LinkWire(profile));
        _accepting = AcceptLoop.RunAsync(_listener, RelayAsync, _stopping.Token);
    }

    public NetworkProfile Profile { get; }

    /// <summary>What the link has carried so far, every connection and probe included.</summary>
    public LinkCounters Counters { get; } = new();

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>The link cut off for a while (<see cref="LinkCut"/>): asked for in-band, or by the process that runs the proxy.</summary>
    public LinkCut Cut { get; } = new();

    /// <summary>Starts a proxy on <paramref name="listenPort"/> (0: any free port) of 127.0.0.1.</summary>
    public static TcpLatencyProxy Start(int listenPort, EndPoint upstream, NetworkProfile profile)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        // A link replaced on its port (LinkRegistry) binds it again while the connections it carried close.
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, listenPort));
        listener.Listen(512);
        return new TcpLatencyProxy(listener, upstream, profile);
    }

    /// <summary>
    /// The upstream is connected at once and its side relayed from the start, as before any probe existed: a server
    /// that speaks first is not kept waiting for the client. Only the client's first chunk is read here, to tell a
    /// probe from real traffic, and then relayed as the link would have (stamped with the time it was read).
    /// </summary>
    private async Task RelayAsync(Socket client, CancellationToken ct)
    {
        using (client)
        using (var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp))
        using (var carrying = Cut.Carrying(ct)) // cancelled when the link is cut: the relay falls silent
        {
            client.NoDelay = true;
            upstream.NoDelay = true;
            try
            {
                await upstream.ConnectAsync(_upstream, ct);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                return; // the client sees its connection closed, as it would with the server down
            }

            using var fromUpstreamStopping = CancellationTokenSource.CreateLinkedTokenSource(carrying.Token);
            var fromUpstream = new ShapedLink(upstream, client, _toClient, _clock, Counters).RunAsync(fromUpstreamStopping.Token);
            var opening = await Opening.ReadAsync(client, ct);
            if (LinkProbe.IsProbe(opening.Span))
            {
                // The upstream has seen a connection and no byte; it is closed before the probe is answered.
                await fromUpstreamStopping.CancelAsync();
                await fromUpstream;
                upstream.Dispose();
                await AnswerProbeAsync(client, opening, carrying.Token);
                return;
            }

            if (LinkCut.IsRequest(opening.Span, out var cutLength, out var line))
            {
                await fromUpstreamStopping.CancelAsync();
                await fromUpstream;
                Cut.For(cutLength);
                await LinkCut.ConfirmAsync(client, opening.Buffer.AsMemory(0, line), ct);
                ArrayPool<byte>.Shared.Return(opening.Buffer); // read from the pool, and no link took it
                return;
            }

            await Task.WhenAll(new ShapedLink(client, upstream, _toUpstream, _clock, Counters, opening).RunAsync(carrying.Token), fromUpstream);
            await Cut.HoldWhileCutAsync(ct); // a connection the cut caught stays open and silent until the link heals
        }
    }

    /// <summary>A probe crosses both of the link's delays, as real traffic does, to an echo inside the proxy and back.</summary>
    private async Task AnswerProbeAsync(Socket client, Opening opening, CancellationToken ct)
    {
        using var echo = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await echo.ConnectAsync(_probeEcho.Value.EndPoint, ct);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            ArrayPool<byte>.Shared.Return(opening.Buffer);
            return;
        }

        await Task.WhenAll(
            new ShapedLink(client, echo, _toUpstream, _clock, Counters, opening).RunAsync(ct),
            new ShapedLink(echo, client, _toClient, _clock, Counters).RunAsync(ct));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting;
        if (_probeEcho.IsValueCreated)
        {
            await _probeEcho.Value.DisposeAsync();
        }

        Cut.Dispose();
        _stopping.Dispose();
    }
}
