using Microsoft.Diagnostics.NETCore.Client;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Processes;

/// <summary>A .NET process of the topology: which service it runs, and its id.</summary>
public sealed record ServiceProcess(string Service, int ProcessId);

/// <summary>
/// Finds the topology's .NET processes on this machine — OrdersService, each silo, the payment
/// provider — among the processes that publish a diagnostics port (every .NET process does unless
/// told not to), by the assembly they run. Only the processes built from <em>this</em> checkout
/// count: another checkout's topology on the same machine is someone else's run.
/// </summary>
public static class ServiceProcesses
{
    /// <summary>Service name (as the AppHost names the resource) → the assembly its process runs.</summary>
    public static IReadOnlyList<(string Service, string Assembly)> Known { get; } =
    [
        (TopologyServices.Orders, "PerfReference.OrdersService"),
        (TopologyServices.Silo, "PerfReference.CustomerGrains"),
        (TopologyServices.Payments, "PerfReference.PaymentsGateway"),
        // Under a network profile every link runs through a latency proxy: its CPU is on the request path too.
        (TopologyServices.NetworkLinks, "PerfReference.LatencyProxy"),
    ];

    public static IReadOnlyList<ServiceProcess> Find(string? repositoryRoot)
    {
        var found = new List<ServiceProcess>();
        foreach (var pid in DiagnosticsClient.GetPublishedProcesses().Order())
        {
            if (IsProcess(pid) && ReadCommandLine(pid) is { } arguments && Identify(arguments, repositoryRoot) is { } service)
            {
                found.Add(new ServiceProcess(service, pid));
            }
        }

        return found;
    }

    /// <summary>
    /// The service a command line runs — its program or first argument is the service's apphost
    /// or dll, under the repository when one is given — or null.
    /// </summary>
    public static string? Identify(IReadOnlyList<string> arguments, string? repositoryRoot)
    {
        var program = arguments.Take(2).FirstOrDefault(argument => Known.Any(k => IsAssembly(argument, k.Assembly)));
        if (program is null)
        {
            return null;
        }

        if (repositoryRoot is not null && !program.StartsWith(repositoryRoot.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            return null;
        }

        return Known.First(k => IsAssembly(program, k.Assembly)).Service;
    }

    private static bool IsAssembly(string path, string assembly) =>
        Path.GetFileName(path) is var name && (name == assembly || name == assembly + ".dll");

    /// <summary>
    /// A diagnostics socket outlives a process that did not clean up, and its number may since be a
    /// thread of a live process (Linux answers /proc/&lt;thread id&gt; too, with the process's command
    /// line): only a process's own id (its thread-group id) counts.
    /// </summary>
    private static bool IsProcess(int pid)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/status").FirstOrDefault(line => line.StartsWith("Tgid:", StringComparison.Ordinal)) is { } tgid
                && int.TryParse(tgid["Tgid:".Length..].Trim(), out var group) && group == pid;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A process's arguments, its program first; null when it is gone or not ours to read.</summary>
    public static string[]? ReadCommandLine(int pid) =>
        ReadProcFile(pid, "cmdline")?.Split('\0', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A process's environment as it started (NAME=value, NUL-separated); null when it is gone or not ours to read.</summary>
    public static string? ReadEnvironment(int pid) => ReadProcFile(pid, "environ");

    /// <summary>A process's environment, as /proc/&lt;pid&gt;/environ holds it (NAME=value, NUL-separated).</summary>
    public static IReadOnlyDictionary<string, string> ParseEnvironment(string environ)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in environ.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry.IndexOf('=', StringComparison.Ordinal) is var equals and > 0)
            {
                variables[entry[..equals]] = entry[(equals + 1)..];
            }
        }

        return variables;
    }

    private static string? ReadProcFile(int pid, string name)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/{name}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
