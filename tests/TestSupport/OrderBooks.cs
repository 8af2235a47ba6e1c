using Npgsql;
using PerfReference.OrdersDatabase.Ordering;

namespace PerfReference.TestSupport;

/// <summary>The orders database's books, read as a test checks them: orders by their named status, never by its number.</summary>
public static class OrderBooks
{
    /// <summary>How many of <paramref name="orderIds"/> are in <paramref name="status"/>.</summary>
    public static async Task<long> CountInStatusAsync(NpgsqlDataSource ordersDb, long[] orderIds, OrderStatus status, CancellationToken ct)
    {
        await using var command = ordersDb.CreateCommand("SELECT count(*) FROM orders WHERE id = ANY($1) AND status = $2");
        command.Parameters.Add(new() { Value = orderIds });
        command.Parameters.Add(new() { Value = (int)status });
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }

    /// <summary>
    /// An order's stored rows — the order, its lines, its payment record — without what differs
    /// between any two orders (ids, keys, times), as one line of text: two orders stored by two
    /// variants of the same write compare equal when every column either writes, the other writes too.
    /// </summary>
    public static async Task<string> StoredRowsAsync(NpgsqlDataSource ordersDb, long orderId, CancellationToken ct)
    {
        await using var command = ordersDb.CreateCommand("""
            SELECT concat_ws('|', o.customer_id, o.status, o.subtotal_minor, o.discount_minor, o.total_minor, o.idempotency_key IS NOT NULL, length(o.request_hash),
                   o.created_at = p.created_at,
                   (SELECT string_agg(concat_ws(':', l.product_id, l.quantity, l.unit_price_minor, l.line_total_minor), ',' ORDER BY l.id)
                    FROM order_lines l WHERE l.order_id = o.id),
                   p.status, p.amount_minor, p.attempts, p.provider_payment_id IS NOT NULL, p.idempotency_key LIKE 'checkout:%',
                   p.next_attempt_at IS NULL, p.last_error IS NULL, p.updated_at >= p.created_at)
            FROM orders o JOIN payments p ON p.order_id = o.id
            WHERE o.id = $1
            """);
        command.Parameters.Add(new() { Value = orderId });
        return (string)(await command.ExecuteScalarAsync(ct) ?? throw new InvalidOperationException($"Order {orderId} has no rows."));
    }

    /// <summary>
    /// Waits until every order is <see cref="OrderStatus.Paid"/> — captured by the payment worker or
    /// inline — and fails the test, saying how many were, if that takes longer than <paramref name="timeout"/>.
    /// </summary>
    public static async Task WaitUntilPaidAsync(NpgsqlDataSource ordersDb, long[] orderIds, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        long paid;
        while ((paid = await CountInStatusAsync(ordersDb, orderIds, OrderStatus.Paid, ct)) < orderIds.Length)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{paid} of {orderIds.Length} orders were paid within {timeout.TotalSeconds:0} s.");
            await Task.Delay(250, ct);
        }
    }
}
