using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSubstitute;
using Orleans.Configuration;
using PerfReference.CustomerGrains.Hosting;
using PerfReference.LatencyProxy;
using PerfReference.Topology;

namespace PerfReference.ComponentTests.Hosting;

/// <summary>
/// A silo under a network profile: it asks the links process (a <see cref="LinkRegistry"/> here) for a link on each of its
/// advertised ports before it starts, relaying to the ports Orleans itself listens on; on loopback nothing changes.
/// </summary>
public sealed class SiloNetworkLinksTests
{
    [Fact]
    public async Task TheAdvertisedPortsRelayToWhereOrleansListens()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var linksProcess = LinkRegistry.Start(0);
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        var links = new SiloNetworkLinks(new IPEndPoint(IPAddress.Loopback, linksProcess.Port), NetworkProfile.Seed, siloPort, gatewayPort);

        await links.RequestAsync(ct);

        Assert.Equal("silo", await RelayedAsync(siloPort, links.SiloListenPort, "silo", ct));
        Assert.Equal("gateway", await RelayedAsync(gatewayPort, links.GatewayListenPort, "gateway", ct));
    }

    [Fact]
    public async Task TheSiloHasItsLinksOpenedBeforeItStartsAndListensBehindThem()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var linksProcess = LinkRegistry.Start(0);
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        var services = new ServiceCollection();
        var silo = Substitute.For<ISiloBuilder>();
        silo.Services.Returns(services);

        silo.BehindNetworkLinks(Configuration("seed", siloPort, gatewayPort, $"127.0.0.1:{linksProcess.Port}"));

        // Both links run in the links process before the silo's host is even built.
        Assert.Equal(new[] { siloPort, gatewayPort }.Order(), linksProcess.Links.Select(link => link.Port)); // the links process lists them by port
        Assert.All(linksProcess.Links, link => Assert.Equal(NetworkProfile.Seed, link.Profile));
        await using var host = services.BuildServiceProvider();
        var endpoints = host.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Loopback, endpoints.SiloListeningEndpoint!.Address);
        Assert.Equal("silo", await RelayedAsync(siloPort, endpoints.SiloListeningEndpoint.Port, "silo", ct));
        Assert.Equal("gateway", await RelayedAsync(gatewayPort, endpoints.GatewayListeningEndpoint!.Port, "gateway", ct));
        Assert.Contains(services, service => service.ImplementationType?.Name == "SiloLinkKeeper"); // asks again while the silo runs
    }

    [Fact]
    public void AProfileWithoutTheLinksProcessIsRefusedWithTheReason()
    {
        var configuration = Configuration("seed", FreePort(), FreePort(), control: null);

        var refused = Assert.Throws<InvalidOperationException>(() => Substitute.For<ISiloBuilder>().BehindNetworkLinks(configuration));
        Assert.Contains(SiloNetworkLinks.ControlKey, refused.Message);
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

    private static IConfiguration Configuration(string profile, int siloPort, int gatewayPort, string? control) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SiloNetworkLinks.ProfileKey] = profile,
            [OrleansEndpoints.SiloPortKey] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [OrleansEndpoints.GatewayPortKey] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [SiloNetworkLinks.ControlKey] = control,
        }).Build();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
