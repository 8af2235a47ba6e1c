using Npgsql;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersDatabase.Payments;

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
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"{paid} of {orderIds.Length} orders were paid within {timeout.TotalSeconds:0} s. The others: {await UnpaidAsync(ordersDb, orderIds, ct)}");
            }

            await Task.Delay(250, ct);
        }
    }

    /// <summary>The orders not paid, counted by where each stands: what a failed wait needs to be understood.</summary>
    private static async Task<string> UnpaidAsync(NpgsqlDataSource ordersDb, long[] orderIds, CancellationToken ct)
    {
        await using var command = ordersDb.CreateCommand("""
            SELECT count(*), o.status, p.status, p.attempts, round(extract(epoch FROM p.next_attempt_at - now()))::int AS due_in, p.last_error
            FROM orders o LEFT JOIN payments p ON p.order_id = o.id
            WHERE o.id = ANY($1) AND o.status <> $2
            GROUP BY o.status, p.status, p.attempts, due_in, p.last_error
            """);
        command.Parameters.Add(new() { Value = orderIds });
        command.Parameters.Add(new() { Value = (int)OrderStatus.Paid });
        var groups = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var payment = reader.IsDBNull(2) ? "no payment" : $"payment {(PaymentRecordStatus)reader.GetInt32(2)} after {reader.GetInt32(3)} attempts";
            var due = reader.IsDBNull(4) ? "not due" : $"due in {reader.GetInt32(4)} s";
            var error = reader.IsDBNull(5) ? "" : $", last error: {reader.GetString(5)}";
            groups.Add($"{reader.GetInt64(0)} × order {(OrderStatus)reader.GetInt32(1)}, {payment}, {due}{error}");
        }

        return string.Join("; ", groups);
    }
}
