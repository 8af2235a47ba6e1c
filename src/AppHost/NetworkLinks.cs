using Aspire.Hosting.ApplicationModel;

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
    public const string Loopback = "loopback";

    /// <summary>orders-link listens on a fixed port so a load run's command line reproduces as written (the lab's default under a profile).</summary>
    public const int OrdersLinkPort = 5190;

    /// <summary>The profile chosen for this run (configuration <c>Parameters:network-profile</c>), shown in the dashboard's Parameters tab.</summary>
    public static string ChooseNetworkProfile(this IDistributedApplicationBuilder builder)
    {
        builder.AddParameter(ParameterName, Loopback);
        return builder.Configuration[$"Parameters:{ParameterName}"] ?? Loopback;
    }

    public static IResourceBuilder<ProjectResource> AddNetworkLink(this IDistributedApplicationBuilder builder, string name, EndpointReference upstream, string profile, int? port = null)
    {
        var link = builder.AddProject<Projects.LatencyProxy>(name)
            .WithEndpoint(name: "tcp", scheme: "tcp", port: port, isProxied: false);
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

    /// <summary>The link's address as a dependant sees it.</summary>
    public static ReferenceExpression Port(this IResourceBuilder<ProjectResource> link) =>
        ReferenceExpression.Create($"{link.GetEndpoint("tcp").Property(EndpointProperty.Port)}");
}
