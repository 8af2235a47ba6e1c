using Microsoft.EntityFrameworkCore;
using Npgsql;
using PerfReference.OrdersDatabase;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.OrdersDatabase.Seeding;

namespace PerfReference.IntegrationTests.Domain;

[Collection(TopologyCollection.Name)]
public sealed class SeedTests(TopologyFixture topology)
{
    /// <summary>The seeder's products (SKU-…): other tests import products of their own into the shared database.</summary>
    private const string SeededProducts = "SELECT count(*) FROM products WHERE sku LIKE 'SKU-%'";

    [Fact]
    public async Task TheTinyDataSetIsLoadedAtStartAndASecondRunAddsNothing()
    {
        var ct = TestContext.Current.CancellationToken;

        // The AppHost's migrations resource loaded the tiny size before the services started.
        Assert.Equal(SeedSize.Tiny.Customers, await topology.ScalarAsync("SELECT count(*) FROM customers", ct));
        Assert.Equal(SeedSize.Tiny.Products, await topology.ScalarAsync(SeededProducts, ct));
        Assert.Equal(SeedSize.Tiny.Orders, await topology.ScalarAsync("SELECT count(*) FROM payments WHERE idempotency_key LIKE 'seed:%'", ct));
        var linesBefore = await topology.ScalarAsync("SELECT count(*) FROM order_lines", ct);

        var report = await new OrdersSeeder(topology.OrdersDb, TimeProvider.System).SeedAsync(SeedSize.Tiny, progress: null, ct);

        Assert.Equal(0, report.TotalRows);
        Assert.Equal(SeedSize.Tiny.Customers, await topology.ScalarAsync("SELECT count(*) FROM customers", ct));
        Assert.Equal(SeedSize.Tiny.Products, await topology.ScalarAsync(SeededProducts, ct));
        Assert.Equal(linesBefore, await topology.ScalarAsync("SELECT count(*) FROM order_lines", ct));
    }

    [Fact]
    public async Task ADatabaseSeededAtASmallerSizeGrowsToTheSameRowsAsAFreshSeed()
    {
        var ct = TestContext.Current.CancellationToken;
        // A scratch database on the same server, seeded as the tiny size was before it had 250 products.
        var scratch = $"seed_upgrade_{Guid.NewGuid():N}";
        await topology.ScalarAsync($"CREATE DATABASE {scratch}", ct);
        try
        {
            var ordersDb = await topology.Run.ConnectionStringAsync("ordersdb", ct) ?? throw new InvalidOperationException("No ordersdb connection string.");
            var connection = new NpgsqlConnectionStringBuilder(ordersDb) { Database = scratch, Pooling = false }.ConnectionString;
            await using (var db = new OrdersDbContext(new DbContextOptionsBuilder<OrdersDbContext>().UseNpgsql(connection).UseSnakeCaseNamingConvention().Options))
            {
                await db.Database.MigrateAsync(ct);
            }

            await using var scratchDb = NpgsqlDataSource.Create(connection);
            var seeder = new OrdersSeeder(scratchDb, TimeProvider.System);
            await seeder.SeedAsync(SeedSize.Tiny with { Products = 50 }, progress: null, ct);

            var report = await seeder.SeedAsync(SeedSize.Tiny, progress: null, ct);

            Assert.Equal(SeedSize.Tiny.Products - 50, report.RowsAdded["products"]);
            Assert.Equal(0, report.RowsAdded["customers"]);
            Assert.Equal(0, report.RowsAdded["orders"]);
            // Product for product, what the grown database holds is what a fresh tiny seed (the topology's) holds.
            const string products = "SELECT string_agg(concat_ws('|', id, sku, name, category, price_minor, is_active), ';' ORDER BY id) FROM products WHERE sku LIKE 'SKU-%'";
            Assert.Equal(await TextAsync(topology.OrdersDb, products, ct), await TextAsync(scratchDb, products, ct));
        }
        finally
        {
            await topology.ScalarAsync($"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)", CancellationToken.None);
        }
    }

    private static async Task<string> TextAsync(NpgsqlDataSource database, string sql, CancellationToken ct)
    {
        await using var command = database.CreateCommand(sql);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }
}
