using PerfReference.OrdersDatabase.Seeding;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PerfReference.DatabaseMigrator;

/// <summary>
/// Shows the seeder's progress: Spectre.Console progress bars with rows per second in a terminal,
/// and a log line every few seconds where there is none (under the AppHost, in CI).
/// </summary>
public static class SeedProgressDisplay
{
    public static async Task<SeedReport> RunAsync(Func<IProgress<SeedTableProgress>, Task<SeedReport>> seed, ILogger logger)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await seed(new LoggedProgress(logger));
        }

        SeedReport? report = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RowsPerSecondColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var progress = new Progress<SeedTableProgress>(update =>
                {
                    if (!tasks.TryGetValue(update.Table, out var task))
                    {
                        tasks[update.Table] = task = context.AddTask(update.Table, maxValue: Math.Max(1, update.RowsPlanned));
                    }

                    task.Value = update.RowsWritten;
                });
                report = await seed(progress);
            });
        return report!;
    }

    /// <summary>Rows per second, which Spectre has no column for (its transfer-speed column counts bytes).</summary>
    private sealed class RowsPerSecondColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } speed ? $"{speed:N0} rows/s" : "", new Style(Color.Grey));
    }

    private sealed class LoggedProgress(ILogger logger) : IProgress<SeedTableProgress>
    {
        private DateTime _lastLog = DateTime.MinValue;

        public void Report(SeedTableProgress value)
        {
            if (value.RowsWritten == value.RowsPlanned || DateTime.UtcNow - _lastLog > TimeSpan.FromSeconds(3))
            {
                _lastLog = DateTime.UtcNow;
                logger.LogInformation("Seeding {Table}: {Written:N0} of {Planned:N0} rows", value.Table, value.RowsWritten, value.RowsPlanned);
            }
        }
    }
}
