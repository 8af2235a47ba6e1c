using static PerfReference.AppHost.DashboardData;

namespace PerfReference.ModelTests.AppHost;

/// <summary>
/// The dashboard's telemetry database (SQLite since Aspire 13.6) goes to memory-backed storage, off the disk where
/// PostgreSQL flushes its commits, unless a directory was asked for. The AppHost sets the dashboard's own variable in
/// its environment, which the orchestrator, and the dashboard it starts, inherit.
/// </summary>
[Collection(typeof(ProcessVariables))]
public sealed class DashboardDataModelTests
{
    [Fact]
    public void OnlyTheNewestRunsAreKeptAndNoRunInUseIsRemoved()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"dashboard-runs-{Guid.NewGuid():N}");
        var runs = Path.Combine(directory, "runs");
        string[] names = ["20261207T080000000Z", "20261207T090000000Z", "20261207T100000000Z", "20261207T110000000Z", "20261207T120000000Z"];
        foreach (var name in names)
        {
            Directory.CreateDirectory(Path.Combine(runs, name));
            File.WriteAllText(Path.Combine(runs, name, "dashboard.db"), "");
            File.WriteAllText(Path.Combine(runs, name + ".lock"), "");
        }

        try
        {
            // The oldest run's dashboard is still up: it holds its lock file, as the dashboard holds its own.
            using (new FileStream(Path.Combine(runs, names[0] + ".lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                RemoveOldRuns(directory, kept: 2);
            }

            Assert.Equal([names[0], names[3], names[4]], Directory.GetDirectories(runs).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Equal([names[0] + ".lock", names[3] + ".lock", names[4] + ".lock"], Directory.GetFiles(runs).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void ARunAnotherAppHostRemovedFirstIsNoError()
    {
        var run = Path.Combine(Path.GetTempPath(), $"dashboard-run-{Guid.NewGuid():N}");
        File.WriteAllText(run + ".lock", "");

        RemoveRun(run);

        Assert.False(File.Exists(run + ".lock"));
    }

    [Fact]
    public async Task AppHostsStartingTogetherRemoveTheSameOldRunsWithoutFailing()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"dashboard-runs-{Guid.NewGuid():N}");
        var runs = Path.Combine(directory, "runs");
        var names = Enumerable.Range(0, 40).Select(minute => $"20261207T08{minute:00}00000Z").ToArray();
        foreach (var name in names)
        {
            Directory.CreateDirectory(Path.Combine(runs, name, "wal"));
            File.WriteAllText(Path.Combine(runs, name, "dashboard.db"), "");
            File.WriteAllText(Path.Combine(runs, name, "wal", "dashboard.db-wal"), "");
            File.WriteAllText(Path.Combine(runs, name + ".lock"), "");
        }

        try
        {
            // Four AppHosts at once, as four model tests build side by side: each lists the same old runs.
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => RemoveOldRuns(directory, kept: 2))));

            Assert.Equal(names[^2..], Directory.GetDirectories(runs).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Equal(names[^2..].Select(name => name + ".lock"), Directory.GetFiles(runs).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task TheDashboardKeepsItsDataInMemoryUnlessADirectoryWasAskedFor()
    {
        // One test, both cases in turn: the variable is the process's, shared by every test that builds the model.
        using var variable = new ProcessVariable(DirectoryVariable);
        variable.Set(null);
        await using (await AppModel.BuildAsync())
        {
            Assert.True(Directory.Exists("/dev/shm"), "a Linux machine mounts memory-backed storage at /dev/shm");
            Assert.Equal("/dev/shm/perfreference-dashboard", variable.Value);
        }

        var asked = Path.Combine(Path.GetTempPath(), "dashboard-data-asked-for");
        variable.Set(asked);
        await using (await AppModel.BuildAsync())
        {
            Assert.Equal(asked, variable.Value);
        }
    }
}
