using System.Net;
using System.Net.Sockets;

namespace PerfReference.LatencyProxy;

/// <summary>
/// Listens on a loopback port and relays every connection to an upstream endpoint through two
/// <see cref="ShapedLink"/>s, one per direction, so each round trip pays the profile's latency and
/// each byte its bandwidth.
/// </summary>
public sealed class TcpLatencyProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly EndPoint _upstream;
    private readonly CancellationTokenSource _stopping = new();
    private readonly DelayScheduler _clock = new();
    private readonly Task _accepting;

    private TcpLatencyProxy(Socket listener, EndPoint upstream, NetworkProfile profile)
    {
        _listener = listener;
        _upstream = upstream;
        Profile = profile;
        _accepting = AcceptAsync(_stopping.Token);
    }

    public NetworkProfile Profile { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>Starts a proxy on <paramref name="listenPort"/> (0: any free port) of 127.0.0.1.</summary>
    public static TcpLatencyProxy Start(int listenPort, EndPoint upstream, NetworkProfile profile)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, listenPort));
        listener.Listen(512);
        return new TcpLatencyProxy(listener, upstream, profile);
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync(ct);
                _ = RelayAsync(client, ct);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task RelayAsync(Socket client, CancellationToken ct)
    {
        using (client)
        using (var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp))
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

            await Task.WhenAll(
                new ShapedLink(client, upstream, Profile, _clock).RunAsync(ct),
                new ShapedLink(upstream, client, Profile, _clock).RunAsync(ct));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting;
        _clock.Dispose();
        _stopping.Dispose();
    }
}
