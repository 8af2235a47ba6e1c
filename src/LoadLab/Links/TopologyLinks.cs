using PerfReference.LatencyProxy;
using PerfReference.LoadLab.Processes;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Links;

/// <summary>A network link of the running topology: the latency proxy listening on <see cref="Port"/> of 127.0.0.1, and the profile it adds.</summary>
public sealed record NetworkLink(string Name, int Port, NetworkProfile Profile);

/// <summary>
/// Finds the network links of this checkout's topology on this machine, from the processes that run them: the
/// standalone links (orders-link, postgres-link, cache-link, payments-link) run in one latency proxy process whose
/// command line names each, <c>--link NAME --listen PORT --upstream HOST:PORT --profile NAME</c> (<see cref="LinkSpec"/>; a
/// proxy started with one unnamed link is named by its resource, <c>OTEL_SERVICE_NAME</c>); each silo runs two links
/// inside its own process, on the silo and gateway ports it advertises, when its environment names a profile other
/// than loopback. On loopback there are none.
/// </summary>
public static class TopologyLinks
{
    public static IReadOnlyList<NetworkLink> Find(IEnumerable<ServiceProcess> processes) =>
        [.. processes
            .SelectMany(process => LocalProcesses.ReadCommandLine(process.ProcessId) is { } arguments && LocalProcesses.ReadEnvironment(process.ProcessId) is { } environment
                ? Of(process.Service, arguments, LocalProcesses.ParseEnvironment(environment))
                : [])
            .OrderBy(link => link.Name, StringComparer.Ordinal).ThenBy(link => link.Port)];

    /// <summary>The links one process of the topology runs (its service as <see cref="ServiceProcesses"/> names it), from its arguments and environment.</summary>
    public static IReadOnlyList<NetworkLink> Of(string service, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment) => service switch
    {
        TopologyServices.NetworkLinks =>
            [.. ProxyLinks(arguments, environment.GetValueOrDefault("OTEL_SERVICE_NAME") ?? LinkSpec.DefaultName)
                .Where(link => link.Profile != NetworkProfile.Loopback)
                .Select(link => new NetworkLink(link.Name, link.Port, link.Profile))],
        TopologyServices.Silo when Setting(environment, NetworkProfile.ConfigurationKey) is { } name && Shaping(name) is { } profile =>
            [.. SiloLink("silo-link", Setting(environment, OrleansEndpoints.SiloPortKey), profile),
             .. SiloLink("gateway-link", Setting(environment, OrleansEndpoints.GatewayPortKey), profile)],
        _ => [],
    };

    /// <summary>The links a latency proxy's command line runs; none when it runs none (its calibration, a command line it would refuse).</summary>
    public static IReadOnlyList<LinkSpec> ProxyLinks(IReadOnlyList<string> arguments, string unnamed = LinkSpec.DefaultName)
    {
        try
        {
            return LinkSpec.Parse(arguments, unnamed);
        }
        catch (ArgumentException)
        {
            return [];
        }
    }

    /// <summary>A profile that puts a proxy on the link: any known one but loopback.</summary>
    private static NetworkProfile? Shaping(string name) => NetworkProfile.Find(name) is { } profile && profile != NetworkProfile.Loopback ? profile : null;

    private static IEnumerable<NetworkLink> SiloLink(string name, string? port, NetworkProfile profile) =>
        int.TryParse(port, out var number) && number > 0 ? [new NetworkLink(name, number, profile)] : [];

    /// <summary>A configuration key as a process's environment gives it (<c>Orleans__Endpoints__SiloPort</c> for <c>Orleans:Endpoints:SiloPort</c>).</summary>
    private static string? Setting(IReadOnlyDictionary<string, string> environment, string key) =>
        environment.FirstOrDefault(variable => string.Equals(variable.Key.Replace("__", ":", StringComparison.Ordinal), key, StringComparison.OrdinalIgnoreCase)).Value;
}
