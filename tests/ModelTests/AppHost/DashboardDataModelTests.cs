namespace PerfReference.ModelTests.AppHost;

/// <summary>
/// The dashboard's telemetry database (SQLite since Aspire 13.6) goes to memory-backed storage, off the disk where
/// PostgreSQL flushes its commits, unless a directory was asked for. The AppHost sets the dashboard's own variable in
/// its environment, which the orchestrator, and the dashboard it starts, inherit.
/// </summary>
public sealed class DashboardDataModelTests
{
    private const string DirectoryVariable = "ASPIRE_DASHBOARD_DATA_DIRECTORY";

    [Fact]
    public async Task TheDashboardKeepsItsDataInMemoryUnlessADirectoryWasAskedFor()
    {
        // One test, both cases in turn: the variable is the process's, shared by every test that builds the model.
        var before = Environment.GetEnvironmentVariable(DirectoryVariable);
        try
        {
            Environment.SetEnvironmentVariable(DirectoryVariable, null);
            await using (await AppModel.BuildAsync())
            {
                Assert.True(Directory.Exists("/dev/shm"), "a Linux machine mounts memory-backed storage at /dev/shm");
                Assert.Equal("/dev/shm/perfreference-dashboard", Environment.GetEnvironmentVariable(DirectoryVariable));
            }

            var asked = Path.Combine(Path.GetTempPath(), "dashboard-data-asked-for");
            Environment.SetEnvironmentVariable(DirectoryVariable, asked);
            await using (await AppModel.BuildAsync())
            {
                Assert.Equal(asked, Environment.GetEnvironmentVariable(DirectoryVariable));
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(DirectoryVariable, before);
        }
    }
}
