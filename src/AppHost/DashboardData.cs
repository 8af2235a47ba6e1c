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
/// <para>
/// Memory is not disk: one run under the lab's load came to more than a gigabyte, and the dashboard keeps ten. So in the
/// directory chosen here the AppHost keeps only the last <see cref="RunsKept"/> runs before it starts a new one; a
/// run whose dashboard still holds its lock file is never removed. A directory asked for is left as it is.
/// </para>
/// </summary>
internal static class DashboardData
{
    /// <summary>The dashboard's variable for the directory of its databases (read by the dashboard itself).</summary>
    public const string DirectoryVariable = "ASPIRE_DASHBOARD_DATA_DIRECTORY";

    private const string MemoryBackedRoot = "/dev/shm";

    /// <summary>Earlier runs kept in the memory-backed directory beside the one about to start.</summary>
    public const int RunsKept = 2;

    /// <summary>Gives the dashboard its directory (<see cref="ChooseDirectory"/>) before the orchestrator starts it.</summary>
    public static void KeepDashboardDataInMemory(this IDistributedApplicationBuilder builder)
    {
        var asked = Environment.GetEnvironmentVariable(DirectoryVariable);
        var directory = ChooseDirectory(asked, Directory.Exists(MemoryBackedRoot));
        if (directory is not null && directory != asked)
        {
            RemoveOldRuns(directory, RunsKept);
        }

        Environment.SetEnvironmentVariable(DirectoryVariable, directory);
    }

    /// <summary>The one asked for; else, where there is memory-backed storage, a directory there; else none (the dashboard's default).</summary>
    public static string? ChooseDirectory(string? asked, bool memoryBackedRootExists) =>
        !string.IsNullOrWhiteSpace(asked) ? asked : memoryBackedRootExists ? Path.Combine(MemoryBackedRoot, "perfreference-dashboard") : null;

    /// <summary>
    /// Removes all but the newest <paramref name="kept"/> runs of <paramref name="directory"/> (the dashboard's
    /// <c>runs/&lt;UTC time&gt;</c> directories, each with a <c>.lock</c> file beside it), except a run whose lock file
    /// its dashboard still holds.
    /// </summary>
    public static void RemoveOldRuns(string directory, int kept)
    {
        var runs = new DirectoryInfo(Path.Combine(directory, "runs"));
        if (!runs.Exists)
        {
            return;
        }

        foreach (var run in runs.GetDirectories().OrderByDescending(run => run.Name, StringComparer.Ordinal).Skip(kept))
        {
            if (!IsHeld(run.FullName + ".lock"))
            {
                RemoveRun(run.FullName);
            }
        }
    }

    /// <summary>
    /// Removes one run and its lock file. Another AppHost starting at the same moment (the model tests build several
    /// side by side) may have removed it first; a run already gone is what was wanted, not an error.
    /// </summary>
    public static void RemoveRun(string run)
    {
        try
        {
            Directory.Delete(run, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }

        File.Delete(run + ".lock");
    }

    /// <summary>Whether a process holds the file exclusively (on Linux, .NET takes an exclusive flock for FileShare.None).</summary>
    private static bool IsHeld(string lockFile)
    {
        try
        {
            using var _ = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
