using Npgsql;
using PerfReference.Hosting.PgBouncer;
using PerfReference.Hosting.Processes;
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

    /// <summary>
    /// The case for PgBouncer: more clients at once than the server has connections for. Thirty connections held open
    /// together against a server of max_connections = 10: straight to the server most are refused ("too many clients");
    /// through PgBouncer in transaction mode every one of them runs its transactions, on at most five server connections.
    /// </summary>
    [Fact]
    public async Task ThroughPgBouncerMoreClientsThanTheServerAllowsAllGetAnswersOnAFewServerConnections()
    {
        const int Clients = 30;
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ScratchPostgres.StartAsync(ct, settings: ["max_connections=10", "superuser_reserved_connections=0"]);
        var direct = await server.CreateDatabaseAsync("pooled", ct) + ";Pooling=false;Timeout=5";
        await using var pgbouncer = await ScratchPgBouncer.StartAsync(server, "pooled", poolSize: 5, ct);

        var (directOpened, directRefused) = await HoldOpenAsync(direct, Clients, ct);
        var (pooledOpened, pooledRefused) = await HoldOpenAsync(pgbouncer.ConnectionString + ";Pooling=false;Timeout=5", Clients, ct);

        Assert.InRange(directOpened, 1, 10);
        Assert.Equal(Clients - directOpened, directRefused);
        Assert.Equal((Clients, 0), (pooledOpened, pooledRefused));
        await using var count = new NpgsqlConnection(direct);
        await count.OpenAsync(ct);
        await using var backends = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = 'pooled' AND pid <> pg_backend_pid()", count);
        Assert.InRange((long)(await backends.ExecuteScalarAsync(ct))!, 1, 5);
    }

    /// <summary>Opens the connections one after another and keeps them all open, then runs a transaction on each: how many opened and answered, how many were refused.</summary>
    private static async Task<(int Opened, int Refused)> HoldOpenAsync(string connectionString, int count, CancellationToken ct)
    {
        var open = new List<NpgsqlConnection>();
        var refused = 0;
        try
        {
            for (var i = 0; i < count; i++)
            {
                var connection = new NpgsqlConnection(connectionString);
                try
                {
                    await connection.OpenAsync(ct);
                    open.Add(connection);
                }
                catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.TooManyConnections)
                {
                    refused++;
                    await connection.DisposeAsync();
                }
            }

            foreach (var connection in open)
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using var command = new NpgsqlCommand("SELECT 1", connection, transaction);
                Assert.Equal(1, await command.ExecuteScalarAsync(ct));
                await transaction.CommitAsync(ct);
            }

            return (open.Count, refused);
        }
        finally
        {
            foreach (var connection in open)
            {
                await connection.DisposeAsync();
            }
        }
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
