using System.Net;
using System.Net.Sockets;
using PerfReference.LatencyProxy;
using PerfReference.Topology;

namespace PerfReference.UnitTests;

/// <summary>
/// Links opened on request, as each silo replica asks the links process for its own (<see cref="LinkRegistry"/>), against
/// real sockets on loopback: asked for again as it runs, a link stays as it is; asked for with another upstream (a
/// replica restarted on new ports), it relays there; a request that cannot be carried out is answered with why.
/// </summary>
public sealed class LinkRegistryTests
{
    [Fact]
    public async Task ALinkAskedForRelaysToItsUpstreamAndAskingAgainChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        using var orleans = Upstream.Start('A');
        await using var registry = LinkRegistry.Start(0);
        var link = Link(FreePort(), orleans.Port);

        await LinkRegistry.RequestAsync(Control(registry), link, ct);
        Assert.Equal('A', await AnswerThroughAsync(link.Port, ct));

        await LinkRegistry.RequestAsync(Control(registry), link, ct); // the silo's renewal
        Assert.Equal([link], registry.Links);
        Assert.Equal('A', await AnswerThroughAsync(link.Port, ct));
    }

    [Fact]
    public async Task ALinkAskedForWithAnotherUpstreamRelaysThereFromThenOn()
    {
        var ct = TestContext.Current.CancellationToken;
        using var before = Upstream.Start('A');
        using var restarted = Upstream.Start('B');
        await using var registry = LinkRegistry.Start(0);
        var port = FreePort();
        await LinkRegistry.RequestAsync(Control(registry), Link(port, before.Port), ct);
        using var held = await ConnectAsync(port, ct); // a connection of the old replica's, still open

        await LinkRegistry.RequestAsync(Control(registry), Link(port, restarted.Port), ct);

        Assert.Equal('B', await AnswerThroughAsync(port, ct));
        Assert.Equal([Link(port, restarted.Port)], registry.Links);
    }

    [Fact]
    public async Task ALinkThatCannotListenIsRefusedWithTheReason()
    {
        var ct = TestContext.Current.CancellationToken;
        using var orleans = Upstream.Start('A');
        using var taken = new TcpListener(IPAddress.Loopback, 0); // another program's port
        taken.Start();
        await using var registry = LinkRegistry.Start(0);
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var refused = await Assert.ThrowsAsync<IOException>(() => LinkRegistry.RequestAsync(Control(registry), Link(port, orleans.Port), ct));

        Assert.Contains($"did not open silo-link on port {port}", refused.Message);
        Assert.Empty(registry.Links);
    }

    [Fact]
    public async Task NoLinksProcessAtTheAddressIsSaid()
    {
        var ct = TestContext.Current.CancellationToken;
        var nobody = new IPEndPoint(IPAddress.Loopback, FreePort());

        var error = await Assert.ThrowsAsync<IOException>(() => LinkRegistry.RequestAsync(nobody, Link(FreePort(), FreePort()), ct));

        Assert.Contains("No links process answers", error.Message);
    }

    [Fact]
    public void ARequestLineCarriesTheLinkAsTheCommandLineGivesIt()
    {
        var link = Link(40001, 40002);

        Assert.Equal("PERFREF-LINK-OPEN/1 --link silo-link --listen 40001 --upstream 127.0.0.1:40002 --profile seed\n", LinkRegistry.Request(link));
        Assert.Equal(link, LinkRegistry.Parse(LinkRegistry.Request(link).TrimEnd('\n')));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1")]
    [InlineData("PERFREF-LINK-OPEN/1")]
    [InlineData("PERFREF-LINK-OPEN/1 --link silo-link --listen 40001 --upstream 127.0.0.1:40002 --profile nowhere")]
    [InlineData("PERFREF-LINK-OPEN/1 --link a --listen 1 --upstream 127.0.0.1:2 --profile seed --link b --listen 3 --upstream 127.0.0.1:4 --profile seed")]
    public void ALineThatIsNotOneLinkIsRefused(string line) =>
        Assert.Throws<ArgumentException>(() => LinkRegistry.Parse(line));

    private static LinkSpec Link(int port, int upstreamPort) => new("silo-link", port, $"127.0.0.1:{upstreamPort}", NetworkProfile.Seed);

    private static IPEndPoint Control(LinkRegistry registry) => new(IPAddress.Loopback, registry.Port);

    /// <summary>The first byte a new connection through the link hears: its upstream's tag.</summary>
    private static async Task<char> AnswerThroughAsync(int port, CancellationToken ct)
    {
        using var socket = await ConnectAsync(port, ct);
        var tag = new byte[1];
        await socket.ReceiveAsync(tag, SocketFlags.None, ct);
        return (char)tag[0];
    }

    private static async Task<Socket> ConnectAsync(int port, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
        return socket;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>A server that says its tag to every connection it accepts (as an Orleans silo speaks first).</summary>
    private sealed class Upstream : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stopping = new();
        private readonly System.Collections.Concurrent.ConcurrentBag<Socket> _accepted = [];

        private Upstream(char tag)
        {
            _listener.Start();
            _ = AcceptAsync((byte)tag, _stopping.Token);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public static Upstream Start(char tag) => new(tag);

        private async Task AcceptAsync(byte tag, CancellationToken ct)
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptSocketAsync(ct);
                    _accepted.Add(client);
                    await client.SendAsync(new[] { tag }, SocketFlags.None, ct);
                }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }

        public void Dispose()
        {
            _stopping.Cancel();
            _listener.Stop();
            foreach (var client in _accepted)
            {
                client.Dispose();
            }

            _stopping.Dispose();
        }
    }
}
