using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Catalog;
using PerfReference.OrdersDatabase.Customers;

namespace PerfReference.DatabaseMigrator;

/// <summary>Brings the orders database to the latest migration, adds the demo rows if it is empty, then stops the host.</summary>
public sealed class MigrationWorker(IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<MigrationWorker> logger) : BackgroundService
{
    // Named after the application, which ServiceDefaults already exports.
    public const string ActivitySourceName = "PerfReference.DatabaseMigrator";
    private static readonly ActivitySource Activities = new(ActivitySourceName);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = Activities.StartActivity("Migrate orders database");
        try
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();

            // On a new database, migrating would first query a history table that does not exist yet
            // and log that failed command as an error; creating the table first keeps the log honest.
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(stoppingToken);
            await db.Database.MigrateAsync(stoppingToken);
            var applied = await db.Database.GetAppliedMigrationsAsync(stoppingToken);
            logger.LogInformation("The orders database is at migration {Migration}", applied.LastOrDefault() ?? "(none)");

            await SeedDemoRowsAsync(db, stoppingToken);
        }
        catch (Exception ex)
        {
            activity?.AddException(ex);
            logger.LogError(ex, "Migrating the orders database failed");
            Environment.ExitCode = 1;
        }

        lifetime.StopApplication();
    }

    /// <summary>A handful of customers and products so a fresh system answers at once; the seeder loads the full data set.</summary>
    private async Task SeedDemoRowsAsync(OrdersDbContext db, CancellationToken ct)
    {
        if (await db.Customers.AnyAsync(ct))
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        db.Customers.AddRange(Enumerable.Range(1, 10).Select(i => new Customer
        {
            Name = $"Demo Customer {i}",
            Email = $"demo{i}@example.com",
            Tier = (CustomerTier)(i % 3),
            LoyaltyPoints = i * 10,
            CreatedAt = now,
        }));
        db.Products.AddRange(Enumerable.Range(1, 20).Select(i => new Product
        {
            Sku = $"DEMO-{i:D4}",
            Name = $"Demo product {i}",
            Category = i % 2 == 0 ? "books" : "games",
            PriceMinor = 500 + i * 100,
        }));
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Added the demo customers and products");
    }
}
