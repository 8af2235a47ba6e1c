using Npgsql;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.OrdersDatabase.Seeding;

namespace PerfReference.IntegrationTests.Domain;

[Collection(TopologyCollection.Name)]
public sealed class SeedTests(TopologyFixture topology)
{
    [Fact]
    public async Task TheTinyDataSetIsLoadedAtStartAndASecondRunAddsNothing()
    {
        var ct = TestContext.Current.CancellationToken;

        // The AppHost's migrations resource loaded the tiny size before the services started.
        Assert.Equal(SeedSize.Tiny.Customers, await topology.ScalarAsync("SELECT count(*) FROM customers", ct));
        Assert.Equal(SeedSize.Tiny.Products, await topology.ScalarAsync("SELECT count(*) FROM products", ct));
        Assert.Equal(SeedSize.Tiny.Orders, await topology.ScalarAsync("SELECT count(*) FROM payments WHERE idempotency_key LIKE 'seed:%'", ct));
        var linesBefore = await topology.ScalarAsync("SELECT count(*) FROM order_lines", ct);

        var report = await new OrdersSeeder(topology.OrdersDb, TimeProvider.System).SeedAsync(SeedSize.Tiny, progress: null, ct);

        Assert.Equal(0, report.TotalRows);
        Assert.Equal(SeedSize.Tiny.Customers, await topology.ScalarAsync("SELECT count(*) FROM customers", ct));
        Assert.Equal(SeedSize.Tiny.Products, await topology.ScalarAsync("SELECT count(*) FROM products", ct));
        Assert.Equal(linesBefore, await topology.ScalarAsync("SELECT count(*) FROM order_lines", ct));
    }
}
