using Aspire.Hosting.ApplicationModel;
using PerfReference.AppHost.Supervision;
using PerfReference.Topology;

namespace PerfReference.AppHost;

/// <summary>
/// Puts a latency/bandwidth proxy (src/LatencyProxy) on a link when the AppHost's
/// <c>network-profile</c> parameter names a profile other than loopback: the dependant then talks
/// to the proxy, and the proxy to the real server, so each round trip costs what it would across
/// a real network. The client's link (orders-link) has a parameter of its own, <c>client-network-profile</c>.
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

    public static IResourceBuilder<ProjectResource> AddNetworkLink(this IDistributedApplicationBuilder builder, string name, EndpointReference upstream, string profile, int? port = null)
    {
        var link = builder.AddProject<Projects.LatencyProxy>(name)
            .WithEndpoint(name: "tcp", scheme: "tcp", port: port, isProxied: false)
            .WithRestartOnExit();
        var listen = link.GetEndpoint("tcp");
        return link.WithArgs(context =>
        {
            context.Args.Add("--listen");
            context.Args.Add(listen.Property(EndpointProperty.TargetPort));
            context.Args.Add("--upstream");
            context.Args.Add(ReferenceExpression.Create($"127.0.0.1:{upstream.Property(EndpointProperty.Port)}"));
            context.Args.Add("--profile");
            context.Args.Add(profile);
        });
    }

    /// <summary>The port the link listens on (on 127.0.0.1): where a dependant connects instead of the server.</summary>
    public static ReferenceExpression ListenPort(this IResourceBuilder<ProjectResource> link) =>
        ReferenceExpression.Create($"{link.GetEndpoint("tcp").Property(EndpointProperty.Port)}");
}
