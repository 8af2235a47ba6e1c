using System.Globalization;
using PerfReference.LoadLab.Links;
using PerfReference.LoadLab.Processes;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Drills;

/// <summary>
/// The processes a drill acts on, and only this checkout's: its services by the program they run from this repository
/// (<see cref="ServiceProcesses"/>), its servers by the port this checkout's topology connects to — every argument
/// matched whole (<see cref="LocalProcesses"/>), so that PostgreSQL on 5432 is never the one on 54321 and a silo of
/// another clone on the same machine is never killed.
/// </summary>
public static class DrillTargets
{
    public static IReadOnlyList<int> Silos() => ServiceProcesses.Of(TopologyServices.Silo);

    public static IReadOnlyList<int> OrdersService() => ServiceProcesses.Of(TopologyServices.Orders);

    /// <summary>The network links inside a silo (the proxies on the silo and gateway ports it advertises); none on loopback.</summary>
    public static IReadOnlyList<NetworkLink> SiloLinks(int silo) =>
        LocalProcesses.ReadCommandLine(silo) is { } arguments && LocalProcesses.ReadEnvironment(silo) is { } environment
            ? TopologyLinks.Of(TopologyServices.Silo, arguments, LocalProcesses.ParseEnvironment(environment))
            : [];

    /// <summary>
    /// Where a service process answers its readiness probe (<see cref="HealthEndpoints.Health"/>): the first http address
    /// its environment gives Kestrel — <c>ASPNETCORE_URLS</c>, which Aspire sets for each replica — or null.
    /// </summary>
    public static Uri? HealthOf(int process) =>
        LocalProcesses.ReadEnvironment(process) is { } environment
        && LocalProcesses.ParseEnvironment(environment).GetValueOrDefault("ASPNETCORE_URLS") is { } urls
        && urls.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(url => url.StartsWith("http://", StringComparison.Ordinal)) is { } http
        && Uri.TryCreate(http.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + HealthEndpoints.Health, UriKind.Absolute, out var health)
            ? health
            : null;

    public static IReadOnlyList<int> RedisServer(int port) => [.. LocalProcesses.All().Where(process => IsRedisServer(process, port)).Select(process => process.Id)];

    public static IReadOnlyList<int> PostgresServer(int port) => [.. LocalProcesses.All().Where(process => IsPostgresServer(process, port)).Select(process => process.Id)];

    /// <summary>
    /// A redis-server listening on <paramref name="port"/>: by its <c>--port</c>, or by the title it writes over its
    /// arguments once started (<c>redis-server 127.0.0.1:6379</c>).
    /// </summary>
    public static bool IsRedisServer(LocalProcess process, int port)
    {
        var text = port.ToString(CultureInfo.InvariantCulture);
        return process.ProgramName == "redis-server"
            && (process.Option("--port") == text || process.Words.Any(word => word.LastIndexOf(':') is var colon and >= 0 && word[(colon + 1)..] == text));
    }

    /// <summary>The PostgreSQL server (the postmaster: its backends' titles are "postgres: …") started with <c>-p</c> <paramref name="port"/>.</summary>
    public static bool IsPostgresServer(LocalProcess process, int port) =>
        process.ProgramName == "postgres" && process.Option("-p") == port.ToString(CultureInfo.InvariantCulture);
}
