using System.Net;
using System.Net.Sockets;
using Orleans.Configuration;
using PerfReference.LatencyProxy;
using PerfReference.Topology;

namespace PerfReference.CustomerGrains.Hosting;

/// <summary>
/// Under a network profile other than loopback, every connection into this silo — from the other
/// silo, and from OrdersService through the gateway — crosses a latency proxy, as the links to
/// PostgreSQL, Redis and the payment provider do. Orleans listens on ports of its own (the listening
/// endpoints of <see cref="EndpointOptions"/>) and advertises the ports Aspire gave the silo
/// (<c>SiloPort</c>, <c>GatewayPort</c>), on which the proxies listen and relay to Orleans. The
/// proxies run in the silo's process rather than as resources of their own because the silo runs as
/// replicas, and each replica's ports are known only inside it.
/// </summary>
public sealed class SiloNetworkLinks : IAsyncDisposable
{
    public const string ProfileKey = NetworkProfile.ConfigurationKey;

    private readonly TcpLatencyProxy _silo;
    private readonly TcpLatencyProxy _gateway;

    private SiloNetworkLinks(TcpLatencyProxy silo, int siloListenPort, TcpLatencyProxy gateway, int gatewayListenPort)
    {
        (_silo, _gateway) = (silo, gateway);
        (SiloListenPort, GatewayListenPort) = (siloListenPort, gatewayListenPort);
    }

    /// <summary>Where Orleans itself listens for other silos (the proxy on the advertised silo port relays here).</summary>
    public int SiloListenPort { get; }

    /// <summary>Where Orleans itself listens for clients (the proxy on the advertised gateway port relays here).</summary>
    public int GatewayListenPort { get; }

    /// <summary>Proxies on the advertised ports, relaying to two free loopback ports for Orleans.</summary>
    public static SiloNetworkLinks Start(NetworkProfile profile, int siloPort, int gatewayPort)
    {
        var (siloListen, gatewayListen) = (FreeLoopbackPort(), FreeLoopbackPort());
        return new(
            TcpLatencyProxy.Start(siloPort, new IPEndPoint(IPAddress.Loopback, siloListen), profile), siloListen,
            TcpLatencyProxy.Start(gatewayPort, new IPEndPoint(IPAddress.Loopback, gatewayListen), profile), gatewayListen);
    }

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}

public static class SiloNetworkLinksExtensions
{
    /// <summary>
    /// Puts the silo behind the network profile the AppHost names (<see cref="SiloNetworkLinks.ProfileKey"/>);
    /// on loopback, or when no profile is named (inside Kubernetes, the tests), nothing changes.
    /// </summary>
    public static ISiloBuilder BehindNetworkLinks(this ISiloBuilder silo, IConfiguration configuration)
    {
        if (configuration[SiloNetworkLinks.ProfileKey] is not { } name || name == NetworkProfile.Loopback.Name)
        {
            return silo;
        }

        var siloPort = configuration.GetValue<int>(OrleansEndpoints.SiloPortKey);
        var gatewayPort = configuration.GetValue<int>(OrleansEndpoints.GatewayPortKey);
        if (siloPort == 0 || gatewayPort == 0)
        {
            throw new InvalidOperationException(
                $"{SiloNetworkLinks.ProfileKey} is '{name}', but {OrleansEndpoints.SiloPortKey} and {OrleansEndpoints.GatewayPortKey} are not set: the links need the ports the silo advertises.");
        }

        var links = SiloNetworkLinks.Start(NetworkProfile.Parse(name), siloPort, gatewayPort);
        // A factory, not an instance (which the container never disposes), resolved by the silo's endpoint options at
        // start: the container made it, so it disposes it, and the proxies close, when the host ends.
        silo.Services.AddSingleton(_ => links);
        silo.Services.AddOptions<EndpointOptions>().Configure<SiloNetworkLinks>((endpoints, started) =>
        {
            endpoints.SiloListeningEndpoint = new IPEndPoint(IPAddress.Loopback, started.SiloListenPort);
            endpoints.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Loopback, started.GatewayListenPort);
        });
        return silo;
    }
}

