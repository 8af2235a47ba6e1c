namespace PerfReference.AppHost;

/// <summary>
/// Where the Aspire dashboard keeps what it receives. Since Aspire 13.6 it stores every span, log and metric point in
/// SQLite — in run mode one database per run under <c>~/.aspire/dashboard/runs</c> — in WAL mode with
/// <c>synchronous = NORMAL</c>, so each checkpoint of its log is flushed to disk. Under the lab's load that is tens of
/// megabytes a second and tens of thousands of writes, on the one disk this machine has, where PostgreSQL flushes its
/// own log at every commit: the orders database's commits queued behind the dashboard's writes, all of them stalling
/// together (the load lab's page, "The dashboard's own disk"). The dashboard is a development tool and its data is a
/// run's diagnostics, not records, so it goes to memory-backed storage: <c>/dev/shm</c>, which Linux mounts as tmpfs.
/// The dashboard still keeps its last runs there, until the machine restarts.
/// <para>
/// The dashboard is started by Aspire's orchestrator, a child of this process, and inherits its environment; setting
/// the dashboard's own variable here reaches it. A directory already set there is kept (to keep the runs on disk across
/// restarts of the machine, set it to <c>~/.aspire/dashboard</c>); where there is no <c>/dev/shm</c>, nothing changes.
/// </para>
/// </summary>
internal static class DashboardData
{
    /// <summary>The dashboard's variable for the directory of its databases (read by the dashboard itself).</summary>
    public const string DirectoryVariable = "ASPIRE_DASHBOARD_DATA_DIRECTORY";

    private const string MemoryBackedRoot = "/dev/shm";

    /// <summary>Gives the dashboard its directory (<see cref="ChooseDirectory"/>) before the orchestrator starts it.</summary>
    public static void KeepDashboardDataInMemory(this IDistributedApplicationBuilder builder) =>
        Environment.SetEnvironmentVariable(DirectoryVariable, ChooseDirectory(Environment.GetEnvironmentVariable(DirectoryVariable), Directory.Exists(MemoryBackedRoot)));

    /// <summary>The one asked for; else, where there is memory-backed storage, a directory there; else none (the dashboard's default).</summary>
    public static string? ChooseDirectory(string? asked, bool memoryBackedRootExists) =>
        !string.IsNullOrWhiteSpace(asked) ? asked : memoryBackedRootExists ? Path.Combine(MemoryBackedRoot, "perfreference-dashboard") : null;
}
