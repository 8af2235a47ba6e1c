using static PerfReference.AppHost.DatabaseSizing;
using static PerfReference.ModelTests.ModelEvaluation;

namespace PerfReference.ModelTests.AppHost;

/// <summary>The orders database's server is sized for the machine it runs on, not left at PostgreSQL's defaults.</summary>
public sealed class DatabaseSizingModelTests
{
    [Theory]
    [InlineData(512L << 20, 128)] // a small machine keeps PostgreSQL's default
    [InlineData(8L << 30, 1024)]
    [InlineData(24L << 30, 2048)]
    [InlineData(256L << 30, 2048)] // no more than 2 GB: the server shares the machine with the whole system
    public void SharedBuffersAreAnEighthOfTheMachinesMemoryWithinBounds(long totalMemoryBytes, long megabytes) =>
        Assert.Equal(megabytes, SharedBuffersMegabytes(totalMemoryBytes));

    [Fact]
    public async Task TheServerStartsWithBuffersFromThisMachinesMemoryAndCheckpointsAQuarterOfAnHourApart()
    {
        await using var model = await AppModel.BuildAsync();

        var args = string.Join(" ", await ArgumentsAsync(model.Single<PostgresServerResource>("postgres")));
        Assert.Contains($"-c shared_buffers={SharedBuffersMegabytes(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)}MB", args);
        Assert.Contains("-c checkpoint_timeout=15min", args);
        Assert.Contains("-c max_wal_size=4GB", args);
    }
}
