using Npgsql;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.OrdersService.Database;
using PerfReference.OrdersService.Orders;
using PerfReference.Performance;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// connection-pooling: the order-status query opens a physical connection per request naive (Npgsql's CONNECT
/// activity, counted as the services count it) and none from a warm pool optimized — and both answer the same.
/// </summary>
public sealed class ConnectionPoolingPairTests(OrdersDatabaseFixture database)
{
    private const int Requests = 5;

    [Fact]
    public async Task EveryNaiveRequestOpensAConnectionAndAWarmPoolOpensNone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pooled = Pooled();
        await using var unpooled = Unpooled();
        var orderId = await FirstOrderIdAsync(ct);

        var naive = new OrderStatusReader(pooled, unpooled, FixedPerfSwitch.AllNaive);
        var optimized = new OrderStatusReader(pooled, unpooled, FixedPerfSwitch.OnlyOptimized(PerfCatalog.ConnectionPooling));
        await optimized.FindAsync(orderId, ct); // the pool's first connection is opened once, by the first request

        var naiveOpens = new List<long>();
        var optimizedOpens = new List<long>();
        for (var i = 0; i < Requests; i++)
        {
            var (naiveAnswer, naiveCounters) = await Measured.RunAsync(() => naive.FindAsync(orderId, ct));
            var (optimizedAnswer, optimizedCounters) = await Measured.RunAsync(() => optimized.FindAsync(orderId, ct));
            Assert.NotNull(naiveAnswer);
            Assert.Equal(naiveAnswer, optimizedAnswer);
            naiveOpens.Add(naiveCounters.DbConnectionOpens);
            optimizedOpens.Add(optimizedCounters.DbConnectionOpens);
            // Opening is not a round trip of the query's: one command either way.
            Assert.Equal((1, 1), (naiveCounters.DbRoundtrips, optimizedCounters.DbRoundtrips));
            Assert.True(naiveCounters.DbConnectTime > TimeSpan.Zero);
        }

        Assert.Equal(Enumerable.Repeat(1L, Requests), naiveOpens);
        Assert.Equal(Enumerable.Repeat(0L, Requests), optimizedOpens);
    }

    [Fact]
    public async Task AnUnknownOrderIsNullInBothVariants()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pooled = Pooled();
        await using var unpooled = Unpooled();

        Assert.Null(await new OrderStatusReader(pooled, unpooled, FixedPerfSwitch.AllNaive).FindAsync(999_999_999, ct));
        Assert.Null(await new OrderStatusReader(pooled, unpooled, FixedPerfSwitch.AllOptimized).FindAsync(999_999_999, ct));
    }

    [Fact]
    public void ThePoolGetsTheChosenSettings()
    {
        var connection = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false };

        new ConnectionPoolOptions().ApplyTo(connection);

        Assert.Equal((true, 2, 20, 60, 1800), (connection.Pooling, connection.MinPoolSize, connection.MaxPoolSize, connection.ConnectionIdleLifetime, connection.ConnectionLifetime));
    }

    /// <summary>A data source of the test's own, with the pool settings the service uses: its pool starts empty.</summary>
    private NpgsqlDataSource Pooled()
    {
        var builder = new NpgsqlDataSourceBuilder(database.ConnectionString) { Name = $"pooled-{Guid.NewGuid():N}" };
        new ConnectionPoolOptions().ApplyTo(builder.ConnectionStringBuilder);
        return builder.Build();
    }

    private NpgsqlDataSource Unpooled()
    {
        var builder = new NpgsqlDataSourceBuilder(database.ConnectionString);
        builder.ConnectionStringBuilder.Pooling = false;
        return builder.Build();
    }

    private async Task<long> FirstOrderIdAsync(CancellationToken ct)
    {
        await using var command = database.DataSource.CreateCommand("SELECT min(id) FROM orders");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
