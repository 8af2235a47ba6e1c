using System.Diagnostics;
using Npgsql;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersService.Database;
using PerfReference.OrdersService.Orders;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Operations;

/// <summary>
/// The operations summary of a time window (orders placed, their total, by status), in the two variants of the
/// catalog entry <c>missing-index</c>. The SQL is the same; what differs is the plan. Optimized, PostgreSQL reads the
/// window's rows through the index on orders (created_at, id) — a few dozen rows for an hour. Naive, it runs the plan
/// it would choose if that index did not exist: index and bitmap scans are turned off for the transaction
/// (<c>SET LOCAL enable_indexscan = off</c> …), which leaves the sequential scan of all million orders. Both
/// variants ask the server for the plan it ran (<see cref="QueryPlanCapture"/>), so the Traces page shows
/// <c>Seq Scan</c> next to <c>Index Scan</c>.
/// </summary>
public sealed class OrdersSummaryReader(NpgsqlDataSource database, IPerfSwitch perf)
{
    /// <summary>The query, as both variants send it (and the tests EXPLAIN it).</summary>
    public const string Sql =
        """
        SELECT status, count(*), sum(total_minor)
        FROM orders
        WHERE created_at >= $1 AND created_at < $2
        GROUP BY status
        ORDER BY status
        """;

    /// <summary>The planner without the index: what <c>SET LOCAL</c> turns off for the naive variant's transaction.</summary>
    public static readonly IReadOnlyDictionary<string, string> WithoutIndexes = new Dictionary<string, string>
    {
        ["enable_indexscan"] = "off",
        ["enable_indexonlyscan"] = "off",
        ["enable_bitmapscan"] = "off",
    };

    public Task<OrdersSummary> ReadAsync(DateRange range, CancellationToken ct) =>
        perf.IsOptimized(PerfCatalog.MissingIndex) ? ReadThroughIndexAsync(range, ct) : ReadAsIfUnindexedAsync(range, ct);

    /// <summary>Naive: the plan of a table without the index — every order read to find the window's.</summary>
    private Task<OrdersSummary> ReadAsIfUnindexedAsync(DateRange range, CancellationToken ct) => QueryAsync(range, WithoutIndexes, ct);

    /// <summary>Optimized: the planner free to use ix_orders_created_at_id.</summary>
    private Task<OrdersSummary> ReadThroughIndexAsync(DateRange range, CancellationToken ct) => QueryAsync(range, plannerSettings: null, ct);

    /// <summary>The settings and the query in one batch (one round trip), then the commit.</summary>
    private async Task<OrdersSummary> QueryAsync(DateRange range, IReadOnlyDictionary<string, string>? plannerSettings, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        using var plan = QueryPlanCapture.Listen(connection, "orders");

        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var command in QueryPlanCapture.Commands(plannerSettings))
        {
            batch.BatchCommands.Add(command);
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand(Sql) { Parameters = { new() { Value = range.From }, new() { Value = range.To } } });

        var byStatus = new List<StatusSummary>();
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            // The LOAD and the settings answer first (no rows, one column); the summary is the last result.
            do
            {
                while (reader.FieldCount == 3 && await reader.ReadAsync(ct))
                {
                    byStatus.Add(new StatusSummary((OrderStatus)reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2)));
                }
            }
            while (await reader.NextResultAsync(ct));
        }

        await transaction.CommitAsync(ct);
        plan.Report(Activity.Current);
        return new OrdersSummary(range.From, range.To, byStatus.Sum(s => s.Orders), byStatus.Sum(s => s.TotalMinor), OrdersDbContext.Currency, byStatus);
    }
}
