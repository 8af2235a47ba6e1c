using Npgsql;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersService.Database;
using PerfReference.OrdersService.Operations;
using PerfReference.OrdersService.Orders;
using PerfReference.Performance;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// missing-index: the operations summary of one hour, over a table big enough for the planner to care (200,000
/// orders spread over 139 days; at the tiny data set's 300 a sequential scan is the right plan with or without the
/// index). The same SQL, two plans: the sequential scan naive, the index on (created_at, id) optimized — asserted
/// from EXPLAIN (FORMAT JSON) of the reader's own query, and from the plan the server sends back with each request.
/// </summary>
public sealed class MissingIndexPairTests(OrdersDatabaseFixture database)
{
    private const int Orders = 200_000;
    private static readonly DateRange OneHour = new(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 2, 1, 1, 0, 0, TimeSpan.Zero));
    private static readonly string[] SequentialScans = ["Seq Scan", "Parallel Seq Scan"];
    private static readonly string[] IndexScans = ["Index Scan", "Bitmap Heap Scan"];
    private static readonly SemaphoreSlim Creating = new(1, 1);
    private static NpgsqlDataSource? _orders;

    [Fact]
    public async Task ExplainShowsASequentialScanWithoutTheIndexAndTheIndexWithIt()
    {
        var ct = TestContext.Current.CancellationToken;

        var naive = await ExplainAsync(OrdersSummaryReader.WithoutIndexes, ct);
        var optimized = await ExplainAsync(plannerSettings: null, ct);

        Assert.Contains(naive.ScanNode, SequentialScans);
        Assert.Null(naive.Index);
        Assert.Contains(optimized.ScanNode, IndexScans);
        Assert.Equal(OrdersDbContext.CreatedAtIndex, optimized.Index);
    }

    [Fact]
    public async Task EachVariantGetsBackThePlanItRanAndBothAnswerTheSame()
    {
        var ct = TestContext.Current.CancellationToken;
        var orders = await LargeOrdersTableAsync(ct);

        var (naive, naiveCounters) = await Measured.RunAsync(() => new OrdersSummaryReader(orders, FixedPerfSwitch.AllNaive).ReadAsync(OneHour, ct));
        var (optimized, optimizedCounters) = await Measured.RunAsync(() =>
            new OrdersSummaryReader(orders, FixedPerfSwitch.OnlyOptimized(PerfCatalog.MissingIndex)).ReadAsync(OneHour, ct));

        Assert.Contains(naiveCounters.DbPlan, SequentialScans);
        Assert.Contains(optimizedCounters.DbPlan, IndexScans);
        // One minute apart, an hour holds 60 orders: both read the same ones.
        Assert.Equal(60, optimized.Orders);
        Assert.Equal((naive.Orders, naive.TotalMinor), (optimized.Orders, optimized.TotalMinor));
        Assert.Equal(naive.ByStatus, optimized.ByStatus);
        // The settings and the query share a round trip; the commit is the other. The variants differ only in the plan.
        Assert.Equal(naiveCounters.DbRoundtrips, optimizedCounters.DbRoundtrips);
    }

    [Fact]
    public async Task ThePlanReadBackCarriesTheRowsAndBuffersOfTheRun()
    {
        var ct = TestContext.Current.CancellationToken;
        var orders = await LargeOrdersTableAsync(ct);
        await using var connection = await orders.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        using var capture = QueryPlanCapture.Listen(connection, "orders");
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var command in QueryPlanCapture.Commands(OrdersSummaryReader.WithoutIndexes))
        {
            batch.BatchCommands.Add(command);
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand(OrdersSummaryReader.Sql) { Parameters = { new() { Value = OneHour.From }, new() { Value = OneHour.To } } });
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            while (await reader.NextResultAsync(ct))
            {
            }
        }

        // The executor finishes (and auto_explain writes the plan) when the query's portal closes: at the commit.
        await transaction.CommitAsync(ct);
        var plan = Assert.IsType<QueryPlan>(capture.Plan);
        // The sequential scan read every order to keep an hour's 60.
        Assert.Equal(60, plan.ActualRows);
        Assert.True(plan.SharedHitBlocks + plan.SharedReadBlocks > 1_000, $"A scan of {Orders} orders touches thousands of blocks, not {plan.SharedHitBlocks} + {plan.SharedReadBlocks}.");
        Assert.StartsWith("Seq Scan on orders", plan.Describe().Replace("Parallel ", ""));
    }

    [Fact]
    public async Task TheMigrationBuildsTheIndexOnCreatedAtAndId()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var command = database.DataSource.CreateCommand("SELECT indexdef FROM pg_indexes WHERE indexname = $1");
        command.Parameters.Add(new() { Value = OrdersDbContext.CreatedAtIndex });

        Assert.Equal("CREATE INDEX ix_orders_created_at_id ON public.orders USING btree (created_at, id)", await command.ExecuteScalarAsync(ct));
    }

    private async Task<QueryPlan> ExplainAsync(IReadOnlyDictionary<string, string>? plannerSettings, CancellationToken ct)
    {
        var orders = await LargeOrdersTableAsync(ct);
        await using var connection = await orders.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        foreach (var (name, value) in plannerSettings ?? new Dictionary<string, string>())
        {
            await using var set = new NpgsqlCommand("SELECT set_config($1, $2, true)", connection, transaction) { Parameters = { new() { Value = name }, new() { Value = value } } };
            await set.ExecuteNonQueryAsync(ct);
        }

        await using var explain = new NpgsqlCommand("EXPLAIN (FORMAT JSON) " + OrdersSummaryReader.Sql, connection, transaction)
        {
            Parameters = { new() { Value = OneHour.From }, new() { Value = OneHour.To } },
        };
        var json = (string)(await explain.ExecuteScalarAsync(ct))!;
        return QueryPlan.Parse(json, "orders") ?? throw new Xunit.Sdk.XunitException($"No scan of orders in the plan: {json}");
    }

    /// <summary>
    /// 200,000 orders a minute apart, in an order unrelated to their time (as real orders are, once updates and
    /// deletes have moved rows around): made once per run, in a database of its own.
    /// </summary>
    private async Task<NpgsqlDataSource> LargeOrdersTableAsync(CancellationToken ct)
    {
        await Creating.WaitAsync(ct);
        try
        {
            if (_orders is not null)
            {
                return _orders;
            }

            var connectionString = await database.CreateMigratedDatabaseAsync("orders_large", ct);
            var orders = NpgsqlDataSource.Create(connectionString);
            await using var fill = orders.CreateCommand(
                $"""
                INSERT INTO customers (id, name, email, tier, loyalty_points, created_at) VALUES (1, 'Customer 1', 'customer1@example.com', 0, 0, now());
                INSERT INTO orders (id, customer_id, status, subtotal_minor, discount_minor, total_minor, created_at)
                SELECT i, 1, i % 4, 100 + i % 50, 0, 100 + i % 50, timestamptz '2026-01-01' + ((i * 7919) % {Orders}) * interval '1 minute'
                FROM generate_series(1, {Orders}) AS i;
                ANALYZE orders;
                """);
            await fill.ExecuteNonQueryAsync(ct);
            return _orders = orders;
        }
        finally
        {
            Creating.Release();
        }
    }
}
