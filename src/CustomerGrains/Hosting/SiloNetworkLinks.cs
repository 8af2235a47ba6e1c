using System.Net;
using System.Net.Sockets;
using Orleans.Configuration;
using PerfReference.LatencyProxy;
using PerfReference.Topology;

namespace PerfReference.CustomerGrains.Hosting;

/// <summary>
/// Under a network profile other than loopback, every connection into this silo — from the other silo, and from
/// OrdersService through the gateway — crosses a latency proxy, as the links to PostgreSQL, Redis and the payment
/// provider do. Orleans listens on ports of its own (the listening endpoints of <see cref="EndpointOptions"/>) and
/// advertises the ports Aspire gave the silo (<c>SiloPort</c>, <c>GatewayPort</c>), on which the links process (the
/// AppHost's network-links, which runs every other link) listens and relays to Orleans. The silo runs as replicas, and
/// each replica's ports are known only inside it, so the silo asks the links process for its two links
/// (<see cref="LinkRegistry"/>) before it starts, and again every few seconds (<see cref="SiloLinkKeeper"/>).
/// Run inside the silo, as they first were, the proxies shared its thread pool and its collections with the grains, and
/// their probes measured slower medians and longer tails than the links process's in the same runs (the network links'
/// page of the log has both).
/// </summary>
public sealed class SiloNetworkLinks
{
    public const string ProfileKey = NetworkProfile.ConfigurationKey;

    /// <summary>Where the links process takes requests for links (<c>127.0.0.1:PORT</c>); the AppHost sets it beside the profile.</summary>
    public const string ControlKey = LinkControl.AddressKey;

    public const string SiloLinkName = "silo-link";

    public const string GatewayLinkName = "gateway-link";

    /// <summary>How often the links are asked for again: a links process that restarted relays again within this.</summary>
    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(5);

    private readonly EndPoint _control;

    public SiloNetworkLinks(EndPoint control, NetworkProfile profile, int siloPort, int gatewayPort)
    {
        _control = control;
        (SiloListenPort, GatewayListenPort) = (FreeLoopbackPort(), FreeLoopbackPort());
        Links = [Link(SiloLinkName, siloPort, SiloListenPort, profile), Link(GatewayLinkName, gatewayPort, GatewayListenPort, profile)];
    }

    /// <summary>Where Orleans itself listens for other silos (the link on the advertised silo port relays here).</summary>
    public int SiloListenPort { get; }

    /// <summary>Where Orleans itself listens for clients (the link on the advertised gateway port relays here).</summary>
    public int GatewayListenPort { get; }

    /// <summary>The two links this silo asks for: the advertised silo and gateway ports, relayed to where Orleans listens.</summary>
    public IReadOnlyList<LinkSpec> Links { get; }

    /// <summary>Asks the links process for both links; an <see cref="IOException"/> when it does not open them.</summary>
    public async Task RequestAsync(CancellationToken ct)
    {
        foreach (var link in Links)
        {
            await LinkRegistry.RequestAsync(_control, link, ct);
        }
    }

    /// <summary>
    /// Asks until the links process has opened both links, before the silo starts: another silo or a client that reached
    /// an advertised port nobody listens on would take this silo for dead. The AppHost starts the links process first; a
    /// few seconds cover its start, and past <paramref name="patience"/> the silo does not start, saying why.
    /// </summary>
    public void OpenBeforeStart(TimeSpan patience)
    {
        var giveUp = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                RequestAsync(CancellationToken.None).GetAwaiter().GetResult();
                return;
            }
            catch (IOException) when (DateTime.UtcNow < giveUp)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    private static LinkSpec Link(string name, int advertisedPort, int listenPort, NetworkProfile profile) =>
        new(name, advertisedPort, $"127.0.0.1:{listenPort}", profile);

    private static int FreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}

/// <summary>Asks for the silo's links again every <see cref="SiloNetworkLinks.Renewal"/>: the links process keeps them, or opens them again after a restart.</summary>
internal sealed class SiloLinkKeeper(SiloNetworkLinks links, ILogger<SiloLinkKeeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var renewal = new PeriodicTimer(SiloNetworkLinks.Renewal);
        while (await renewal.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await links.RequestAsync(stoppingToken);
            }
            catch (IOException error)
            {
                // The links process is restarting (its supervisor starts it again): the next renewal reaches it.
                logger.LogWarning("The silo's network links were not renewed: {Reason}", error.Message);
            }
        }
    }
}

public static class SiloNetworkLinksExtensions
{
    /// <summary>
    /// Puts the silo behind the network profile the AppHost names (<see cref="SiloNetworkLinks.ProfileKey"/>), its links
    /// run by the links process at <see cref="SiloNetworkLinks.ControlKey"/>; on loopback, or when no profile is named
    /// (inside Kubernetes, the tests), nothing changes.
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

        if (!IPEndPoint.TryParse(configuration[SiloNetworkLinks.ControlKey] ?? "", out var control) || control.Port == 0)
        {
            throw new InvalidOperationException(
                $"{SiloNetworkLinks.ProfileKey} is '{name}', but {SiloNetworkLinks.ControlKey} does not name the links process's control port (127.0.0.1:PORT): nothing would run the silo's links.");
        }

        var links = new SiloNetworkLinks(control, NetworkProfile.Parse(name), siloPort, gatewayPort);
        links.OpenBeforeStart(TimeSpan.FromSeconds(30));
        silo.Services.AddSingleton(links);
        silo.Services.AddHostedService<SiloLinkKeeper>();
        silo.Services.AddOptions<EndpointOptions>().Configure(endpoints =>
        {
            endpoints.SiloListeningEndpoint = new IPEndPoint(IPAddress.Loopback, links.SiloListenPort);
            endpoints.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Loopback, links.GatewayListenPort);
        });
        return silo;
    }
}
