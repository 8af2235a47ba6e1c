using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Processes;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Links;

/// <summary>
/// The client's link (orders-link: AppHost parameter <c>client-network-profile</c>) as this machine runs it. The lab
/// cannot see the AppHost's parameters, but the link runs in a process here: the latency proxy whose command line has a
/// link with <c>--listen &lt;port&gt;</c> on the port the lab sends its load to, and that link's <c>--profile &lt;name&gt;</c>.
/// Only one process can listen on a port, so whichever checkout started it, it is the link the load crosses.
/// </summary>
public static class ClientLink
{
    /// <summary>The latency proxy listening where <paramref name="baseUrl"/> points, or null: not on this machine, no proxy there, or unreadable.</summary>
    public static ClientLinkReading? Read(Uri baseUrl)
    {
        if (!baseUrl.IsLoopback)
        {
            return null;
        }

        var found = LocalProcesses.All()
            .Select(process => ProfileOf(process.Arguments, baseUrl.Port) is { } profile ? new ClientLinkReading(process.Id, profile) : null)
            .OfType<ClientLinkReading>()
            .ToList();

        // Two proxies claiming the port (one of them failing to bind, about to exit) that disagree: no reading.
        return found.Select(reading => reading.Profile).Distinct().Count() == 1 ? found.MinBy(reading => reading.ProcessId) : null;
    }

    /// <summary>The profile of a latency proxy's command line that listens on <paramref name="port"/>; null for any other process.</summary>
    public static string? ProfileOf(IReadOnlyList<string> arguments, int port)
    {
        if (ServiceProcesses.Identify(arguments, repositoryRoot: null) != TopologyServices.NetworkLinks)
        {
            return null;
        }

        return TopologyLinks.ProxyLinks(arguments).FirstOrDefault(link => link.Port == port)?.Profile.Name;
    }
}
