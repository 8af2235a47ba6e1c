using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSubstitute;
using Orleans.Configuration;
using PerfReference.CustomerGrains.Hosting;
using PerfReference.Topology;

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

    [Fact]
    public async Task TheLinksCloseWhenTheHostsContainerIsDisposed()
    {
        var ct = TestContext.Current.CancellationToken;
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SiloNetworkLinks.ProfileKey] = "seed",
            [OrleansEndpoints.SiloPortKey] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [OrleansEndpoints.GatewayPortKey] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection();
        var silo = Substitute.For<ISiloBuilder>();
        silo.Services.Returns(services);
        silo.BehindNetworkLinks(configuration);

        await using (var host = services.BuildServiceProvider())
        {
            // The silo reads its listening endpoints at start: Orleans listens behind the links' proxies.
            var listening = host.GetRequiredService<IOptions<EndpointOptions>>().Value.SiloListeningEndpoint;
            Assert.NotNull(listening);
            Assert.Equal(IPAddress.Loopback, listening.Address);
            Assert.Equal("silo", await RelayedAsync(siloPort, listening.Port, "silo", ct));
        }

        // Disposed with the container: nothing listens on the advertised ports any more.
        using var late = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => late.ConnectAsync(IPAddress.Loopback, siloPort, ct).AsTask());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("loopback")]
    public void OnLoopbackTheSiloListensWhereItAdvertises(string? profile)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SiloNetworkLinks.ProfileKey] = profile,
            [OrleansEndpoints.SiloPortKey] = "11111",
            [OrleansEndpoints.GatewayPortKey] = "30000",
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
        Assert.Contains(OrleansEndpoints.SiloPortKey, refused.Message);
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
