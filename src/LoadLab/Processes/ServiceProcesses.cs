using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Processes;

/// <summary>A .NET process of the topology: which service it runs, and its id.</summary>
public sealed record ServiceProcess(string Service, int ProcessId);

/// <summary>
/// Finds the topology's .NET processes on this machine — OrdersService, each silo, the payment
/// provider, the latency proxies — by the assembly they run (<see cref="LocalProcesses"/>). Only the processes built
/// from <em>this</em> checkout count: another checkout's topology on the same machine is someone else's run.
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

    /// <summary>The topology's processes of this checkout (of any checkout when <paramref name="repositoryRoot"/> is null), lowest id first.</summary>
    public static IReadOnlyList<ServiceProcess> Find(string? repositoryRoot) =>
        [.. LocalProcesses.All()
            .Select(process => Identify(process.Arguments, repositoryRoot) is { } service ? new ServiceProcess(service, process.Id) : null)
            .OfType<ServiceProcess>()];

    /// <summary>The program the Aspire dashboard runs as (from the Aspire.Dashboard.Sdk package, not this repository).</summary>
    public const string DashboardProgram = "Aspire.Dashboard";

    /// <summary>
    /// The Aspire dashboard of this checkout's AppHost (none or one): its program lives in the NuGet cache, so it is known
    /// by who started it — DCP's controller, whose <c>--monitor</c> chain ends at this checkout's AppHost.
    /// </summary>
    public static IReadOnlyList<ServiceProcess> DashboardOf(string repositoryRoot)
    {
        var processes = LocalProcesses.All().ToDictionary(p => p.Id);
        return [.. processes.Values
            .Where(p => p.ProgramName == DashboardProgram && StartedFrom(p.Id, repositoryRoot, id => processes.GetValueOrDefault(id), LocalProcesses.ParentOf))
            .Select(p => new ServiceProcess(TopologyServices.Dashboard, p.Id))];
    }

    /// <summary>
    /// Whether a process was started, a few steps up, by a program of this repository: each step is its parent, or the
    /// process DCP names with <c>--monitor</c> (DCP's API server runs detached, its parent is init; it watches the AppHost).
    /// </summary>
    public static bool StartedFrom(int pid, string repositoryRoot, Func<int, LocalProcess?> read, Func<int, int?> parentOf)
    {
        var prefix = repositoryRoot.TrimEnd('/') + "/";
        var current = pid;
        for (var step = 0; step < 5; step++)
        {
            var next = read(current)?.Option("--monitor") is { } monitored && int.TryParse(monitored, out var id) ? id : parentOf(current);
            if (next is not { } up || up <= 1 || read(up) is not { } process)
            {
                return false;
            }

            if (process.Arguments.Take(2).Any(argument => argument.StartsWith(prefix, StringComparison.Ordinal)))
            {
                return true;
            }

            current = up;
        }

        return false;
    }

    /// <summary>This checkout's processes of one service (OrdersService, the silos), lowest id first.</summary>
    public static IReadOnlyList<int> Of(string service) =>
        [.. Find(RepositoryRoot.Find() ?? throw new LabInputException($"Cannot find the repository ({RepositoryRoot.SolutionFile}) above {Environment.CurrentDirectory}: which processes are this checkout's?"))
            .Where(process => process.Service == service).Select(process => process.ProcessId)];

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
}
