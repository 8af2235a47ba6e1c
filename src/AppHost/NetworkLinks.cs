using System.Reflection;
using Aspire.Hosting.ApplicationModel;
using PerfReference.AppHost.Supervision;
using PerfReference.Topology;

namespace PerfReference.AppHost;

/// <summary>
/// Puts a latency/bandwidth proxy (src/LatencyProxy) on a link when the AppHost's
/// <c>network-profile</c> parameter names a profile other than loopback: the dependant then talks
/// to the proxy, and the proxy to the real server, so each round trip costs what it would across
/// a real network. The client's link (orders-link) has a parameter of its own, <c>client-network-profile</c>.
/// Every link runs in one process (<see cref="ResourceName"/>): the standalone ones as its command line gives them, the
/// silos' own as each replica asks for them on its control endpoint (<see cref="ControlEndpointName"/>).
/// </summary>
internal static class NetworkLinks
{
    public const string ParameterName = "network-profile";

    public const string ClientParameterName = "client-network-profile";

    public static readonly string Loopback = NetworkProfile.Loopback.Name;

    /// <summary>
    /// The profile chosen for this run (configuration <c>Parameters:network-profile</c>), shown as chosen in the
    /// dashboard's Parameters tab. A name that is not a profile stops the AppHost before anything starts.
    /// </summary>
    public static string ChooseNetworkProfile(this IDistributedApplicationBuilder builder) =>
        builder.AddChosenParameter(ParameterName, Loopback, chosen => Check(ParameterName, chosen));

    /// <summary>
    /// The profile of the client's link alone — orders-link, which the lab's load crosses into OrdersService — from
    /// configuration <c>Parameters:client-network-profile</c>, by default the system's own (<paramref name="networkProfile"/>).
    /// A mobile client talks to a datacenter: <c>client-network-profile=mobile</c> with <c>network-profile=seed</c> puts
    /// the phone's link in front of the service and leaves the datacenter's links as they are. Shown in the dashboard's
    /// Parameters tab; a name that is not a profile stops the AppHost before anything starts.
    /// </summary>
    public static string ChooseClientNetworkProfile(this IDistributedApplicationBuilder builder, string networkProfile) =>
        builder.AddChosenParameter(ClientParameterName, networkProfile, chosen => Check(ClientParameterName, chosen));

    private static string Check(string parameter, string chosen) =>
        NetworkProfile.All.FirstOrDefault(profile => profile.Name == chosen)?.Name
        ?? throw new InvalidOperationException(
            $"The {parameter} parameter is '{chosen}', which is not a network profile; use one of: {string.Join(", ", NetworkProfile.All.Select(p => p.Name))}.");

    /// <summary>The resource that runs every link, in one process.</summary>
    public const string ResourceName = "network-links";

    /// <summary>
    /// The endpoint on which the links process opens links on request (src/LatencyProxy/LinkRegistry): each silo replica
    /// asks there for the links in front of its own ports, which only the replica knows.
    /// </summary>
    public const string ControlEndpointName = "control";

    /// <summary>
    /// A link named <paramref name="name"/> relaying to <paramref name="upstream"/> with <paramref name="profile"/>, listening on
    /// <paramref name="port"/> (or a port Aspire allocates). Every link runs in one process, the <see cref="ResourceName"/> resource:
    /// the built proxy started directly (<c>dotnet PerfReference.LatencyProxy.dll</c>, not a <c>dotnet run</c> host beside it), with
    /// one endpoint per link, all of them released by the one clock thread of that process. A process per link cost four .NET
    /// runtimes (and four <c>dotnet run</c> hosts, about 130 MB each) on two cores, and their clocks competed for the cores.
    /// The process waits for nothing: a link connects to its upstream per connection, so it can listen before its server
    /// (and the orders link in front of OrdersService, which itself waits for the links behind it).
    /// </summary>
    public static LinkEndpoint AddNetworkLink(this IDistributedApplicationBuilder builder, string name, EndpointReference upstream, string profile, int? port = null)
    {
        var links = builder.Resources.OfType<ExecutableResource>().FirstOrDefault(resource => resource.Name == ResourceName) is { } existing
            ? builder.CreateResourceBuilder(existing)
            : builder.AddLinksProcess();
        links.WithEndpoint(name: name, scheme: "tcp", port: port, isProxied: false);
        var listen = links.GetEndpoint(name);
        links.WithArgs(context =>
        {
            context.Args.Add("--link");
            context.Args.Add(name);
            context.Args.Add("--listen");
            context.Args.Add(listen.Property(EndpointProperty.TargetPort));
            context.Args.Add("--upstream");
            context.Args.Add(ReferenceExpression.Create($"127.0.0.1:{upstream.Property(EndpointProperty.Port)}"));
            context.Args.Add("--profile");
            context.Args.Add(profile);
        });
        return new LinkEndpoint(links, listen);
    }

    /// <summary>The links process, with its control endpoint (told to it by its environment: its command line lists the standalone links only).</summary>
    private static IResourceBuilder<ExecutableResource> AddLinksProcess(this IDistributedApplicationBuilder builder)
    {
        var links = builder.AddExecutable(ResourceName, DotnetHost, Path.GetDirectoryName(ProxyProgram)!, ProxyProgram)
            .WithEndpoint(name: ControlEndpointName, scheme: "tcp", isProxied: false)
            .WithRestartOnExit();
        return links.WithEnvironment(LinkControl.PortVariable, links.GetEndpoint(ControlEndpointName).Property(EndpointProperty.TargetPort));
    }

    /// <summary>Where a silo asks for its links: the links process's control endpoint, as <c>127.0.0.1:PORT</c>.</summary>
    public static ReferenceExpression ControlAddress(this LinkEndpoint link) =>
        ReferenceExpression.Create($"127.0.0.1:{link.Process.GetEndpoint(ControlEndpointName).Property(EndpointProperty.Port)}");

    /// <summary>The dotnet host the SDK runs the AppHost with (DOTNET_HOST_PATH), else the one on the PATH.</summary>
    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>
    /// The proxy as its project builds it (the AppHost's project reference builds it first), in the AppHost's own configuration
    /// and target framework, as <c>dotnet run --no-build</c> would run it.
    /// </summary>
    private static string ProxyProgram { get; } = Path.Combine(
        Path.GetDirectoryName(new Projects.LatencyProxy().ProjectPath)!, "bin",
        typeof(NetworkLinks).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug",
        $"net{Environment.Version.Major}.{Environment.Version.Minor}", "PerfReference.LatencyProxy.dll");
}

/// <summary>One link in the <see cref="NetworkLinks.ResourceName"/> process: that process (to wait for) and the endpoint it listens on.</summary>
internal sealed record LinkEndpoint(IResourceBuilder<ExecutableResource> Process, EndpointReference Listen)
{
    /// <summary>The port the link listens on (on 127.0.0.1): where a dependant connects instead of the server.</summary>
    public ReferenceExpression ListenPort => ReferenceExpression.Create($"{Listen.Property(EndpointProperty.Port)}");
}
