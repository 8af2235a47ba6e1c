using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using NSubstitute;
using PerfReference.CustomerGrains.Hosting;
using PerfReference.LatencyProxy;

namespace PerfReference.ComponentTests.Hosting;

/// <summary>
/// A silo under a network profile: what reaches its advertised silo and gateway ports is relayed,
/// through the profile's proxy, to the ports Orleans itself listens on; on loopback nothing changes.
/// </summary>
public sealed class SiloNetworkLinksTests
{
    [Fact]
    public async Task TheAdvertisedPortsRelayToWhereOrleansListens()
    {
        var ct = TestContext.Current.CancellationToken;
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        await using var links = SiloNetworkLinks.Start(NetworkProfile.Seed, siloPort, gatewayPort);

        Assert.Equal("silo", await RelayedAsync(siloPort, links.SiloListenPort, "silo", ct));
        Assert.Equal("gateway", await RelayedAsync(gatewayPort, links.GatewayListenPort, "gateway", ct));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("loopback")]
    public void OnLoopbackTheSiloListensWhereItAdvertises(string? profile)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SiloNetworkLinks.ProfileKey] = profile,
            ["Orleans:Endpoints:SiloPort"] = "11111",
            ["Orleans:Endpoints:GatewayPort"] = "30000",
        }).Build();
        var silo = Substitute.For<ISiloBuilder>();

        Assert.Same(silo, silo.BehindNetworkLinks(configuration));
        Assert.Empty(silo.ReceivedCalls());
    }

    [Fact]
    public void AProfileWithoutTheSilosPortsIsRefusedWithTheReason()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [SiloNetworkLinks.ProfileKey] = "seed" }).Build();

        var refused = Assert.Throws<InvalidOperationException>(() => Substitute.For<ISiloBuilder>().BehindNetworkLinks(configuration));
        Assert.Contains("Orleans:Endpoints:SiloPort", refused.Message);
    }

    /// <summary>Sends <paramref name="text"/> to the advertised port and returns what arrives where Orleans would listen.</summary>
    private static async Task<string> RelayedAsync(int advertised, int listen, string text, CancellationToken ct)
    {
        using var orleans = new TcpListener(IPAddress.Loopback, listen);
        orleans.Start();
        using var peer = new TcpClient();
        await peer.ConnectAsync(IPAddress.Loopback, advertised, ct);
        await peer.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(text), ct);

        using var accepted = await orleans.AcceptTcpClientAsync(ct);
        var buffer = new byte[text.Length];
        await accepted.GetStream().ReadExactlyAsync(buffer, ct);
        return System.Text.Encoding.ASCII.GetString(buffer);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
