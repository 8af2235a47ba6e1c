using Npgsql;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersDatabase.Payments;
using PerfReference.OrdersService.Database;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Orders;

/// <summary>The state of an order and its latest payment: what a client polls while it waits for an order to be paid.</summary>
public sealed record OrderStatusView(long Id, OrderStatus Status, long TotalMinor, PaymentRecordStatus? PaymentStatus);

/// <summary>
/// A light query — one row by primary key, well under a millisecond in PostgreSQL — in the two variants of the
/// catalog entry <c>connection-pooling</c>. Naive, every request opens a connection of its own and closes it
/// (<c>Pooling=false</c>): a TCP connection, the startup packet, SCRAM-SHA-256 authentication (a PBKDF2 of 4,096
/// rounds on the client) and a server process forked and initialised, all for one query. Optimized, the query
/// borrows an open connection from the pool (<see cref="ConnectionPoolOptions"/>) and gives it back.
/// </summary>
public sealed class OrderStatusReader(NpgsqlDataSource pooled, [FromKeyedServices(DatabaseExtensions.Unpooled)] NpgsqlDataSource unpooled, IPerfSwitch perf)
{
    private const string Sql =
        """
        SELECT o.status, o.total_minor,
               (SELECT p.status FROM payments p WHERE p.order_id = o.id ORDER BY p.id DESC LIMIT 1)
        FROM orders o
        WHERE o.id = $1
        """;

    public Task<OrderStatusView?> FindAsync(long orderId, CancellationToken ct) =>
        perf.IsOptimized(PerfCatalog.ConnectionPooling) ? FindOnPooledConnectionAsync(orderId, ct) : FindOnNewConnectionAsync(orderId, ct);

    /// <summary>Naive: a physical connection opened for this query and closed after it.</summary>
    private Task<OrderStatusView?> FindOnNewConnectionAsync(long orderId, CancellationToken ct) => QueryAsync(unpooled, orderId, ct);

    /// <summary>Optimized: a connection borrowed from the pool and returned to it.</summary>
    private Task<OrderStatusView?> FindOnPooledConnectionAsync(long orderId, CancellationToken ct) => QueryAsync(pooled, orderId, ct);

    private static async Task<OrderStatusView?> QueryAsync(NpgsqlDataSource database, long orderId, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(Sql, connection) { Parameters = { new() { Value = orderId } } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new OrderStatusView(orderId, (OrderStatus)reader.GetInt32(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : (PaymentRecordStatus)reader.GetInt32(2))
            : null;
    }
}
