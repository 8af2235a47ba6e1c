using Aspire.Hosting.ApplicationModel;
using PerfReference.AppHost.Supervision;
using PerfReference.LatencyProxy;

namespace PerfReference.AppHost;

/// <summary>
/// Puts a latency/bandwidth proxy (src/LatencyProxy) on a link when the AppHost's
/// <c>network-profile</c> parameter names a profile other than loopback: the dependant then talks
/// to the proxy, and the proxy to the real server, so each round trip costs what it would across
/// a real network.
/// </summary>
internal static class NetworkLinks
{
    public const string ParameterName = "network-profile";

    public static readonly string Loopback = NetworkProfile.Loopback.Name;

    /// <summary>
    /// The profile chosen for this run (configuration <c>Parameters:network-profile</c>), shown in the
    /// dashboard's Parameters tab. A name that is not a profile stops the AppHost before anything starts.
    /// </summary>
    public static string ChooseNetworkProfile(this IDistributedApplicationBuilder builder)
    {
        builder.AddParameter(ParameterName, Loopback);
        var chosen = builder.Configuration[$"Parameters:{ParameterName}"] ?? Loopback;
        return NetworkProfile.All.FirstOrDefault(profile => profile.Name == chosen)?.Name
            ?? throw new InvalidOperationException(
                $"The {ParameterName} parameter is '{chosen}', which is not a network profile; use one of: {string.Join(", ", NetworkProfile.All.Select(p => p.Name))}.");
    }

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
