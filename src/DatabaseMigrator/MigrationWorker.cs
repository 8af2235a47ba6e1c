using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Seeding;

namespace PerfReference.DatabaseMigrator;

/// <summary>Brings the orders database to the latest migration, loads seed data if asked, then stops the host.</summary>
public sealed class MigrationWorker(
    MigratorCommand command,
    IServiceProvider services,
    IConfiguration configuration,
    IHostApplicationLifetime lifetime,
    ILogger<MigrationWorker> logger) : BackgroundService
{
    // Named after the application, which ServiceDefaults already exports.
    private static readonly ActivitySource Activities = new("PerfReference.DatabaseMigrator");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            await MigrateAsync(scope.ServiceProvider.GetRequiredService<OrdersDbContext>(), stoppingToken);

            var size = command.Seed ?? (command.SeedFromConfiguration ? SeedSize.Parse(configuration["Seed:Size"] ?? SeedSize.Tiny.Name) : null);
            if (size is not null)
            {
                await SeedAsync(scope.ServiceProvider.GetRequiredService<OrdersSeeder>(), size, stoppingToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Preparing the orders database failed");
            Environment.ExitCode = 1;
        }

        lifetime.StopApplication();
    }

    private async Task MigrateAsync(OrdersDbContext db, CancellationToken ct)
    {
        using var activity = Activities.StartActivity("Migrate orders database");

        // On a new database, migrating would first query a history table that does not exist yet
        // and log that failed command as an error; creating the table first keeps the log honest.
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(ct);
        if (command.TargetMigration is { } target)
        {
            // Down as well as up: how a migration's effect is measured once without it (the missing-index entry's index).
            await db.GetService<IMigrator>().MigrateAsync(target, ct);
        }
        else
        {
            await db.Database.MigrateAsync(ct);
        }

        var applied = await db.Database.GetAppliedMigrationsAsync(ct);
        logger.LogInformation("The orders database is at migration {Migration}", applied.LastOrDefault() ?? "(none)");
    }

    private async Task SeedAsync(OrdersSeeder seeder, SeedSize size, CancellationToken ct)
    {
        using var activity = Activities.StartActivity($"Seed orders database ({size.Name})");
        var report = await SeedProgressDisplay.RunAsync(progress => seeder.SeedAsync(size, progress, ct), logger);

        if (report.TotalRows == 0)
        {
            logger.LogInformation("The {Size} data set is already loaded; nothing added", size.Name);
            return;
        }

        logger.LogInformation(
            "Seeded the {Size} data set: {Rows:N0} rows ({Detail}) in {Seconds:N1} s, {Rate:N0} rows/s",
            size.Name, report.TotalRows, string.Join(", ", report.RowsAdded.Select(t => $"{t.Key} {t.Value:N0}")),
            report.Elapsed.TotalSeconds, report.RowsPerSecond);
    }
}
