using Npgsql;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersDatabase.Payments;
using PerfReference.Performance;
using static PerfReference.OrdersService.Checkout.CheckoutBatch;

namespace PerfReference.OrdersService.Checkout;

/// <summary>
/// Stores a checkout's order, lines and payment record atomically, in the two variants of
/// <c>n-plus-one-db</c>'s write, and records a capture taken inline. Naive, EF Core's <c>SaveChanges</c>
/// sends one batch (order ids come from a hi/lo sequence, so no <c>RETURNING id</c> round trip comes
/// first) with one <c>INSERT … RETURNING id</c> statement per line: 200 statements and ~1,000
/// parameters for a 200-line order, each line tracked, bound and read back, and every tenth order a
/// round trip of its own for the next block of ids. Optimized, one statement whatever the size of the
/// order: the order takes its id from the sequence inside it, the lines go in as one
/// <c>INSERT … SELECT FROM unnest(…)</c> of four arrays and the payment record follows, each a
/// data-modifying <c>WITH</c> of the one before. Either way the writer keeps no state and leaves nothing
/// tracked: the entities carry their ids, and what follows writes by id.
/// </summary>
public sealed class OrderWriter(OrdersDbContext db, IPerfSwitch perf)
{
    /// <summary>
    /// The optimized write. <c>nextval</c> hands the order the first id of a block of ten — the naive write's hi/lo
    /// generator takes whole blocks from the same sequence, so the two never meet — and the block's other nine ids are
    /// never used: ids must be unique, not dense. The lines keep the order they were asked in (their identity follows
    /// <c>position</c>). Foreign keys are checked at the end of the statement, when the order's row is there.
    /// </summary>
    private const string InsertOrderLinesAndPayment = $"""
        WITH new_order AS (
            INSERT INTO orders (id, customer_id, status, subtotal_minor, discount_minor, total_minor, created_at, idempotency_key, request_hash)
            VALUES (nextval('{OrdersDbContext.OrderIdSequence}'), $1, $2, $3, $4, $5, $6, $7, $8)
            RETURNING id),
        new_lines AS (
            INSERT INTO order_lines (order_id, product_id, quantity, unit_price_minor, line_total_minor)
            SELECT new_order.id, line.product_id, line.quantity, line.unit_price_minor, line.line_total_minor
            FROM new_order, unnest($9, $10, $11, $12) WITH ORDINALITY AS line (product_id, quantity, unit_price_minor, line_total_minor, position)
            ORDER BY line.position)
        INSERT INTO payments (order_id, idempotency_key, provider_payment_id, status, amount_minor, attempts, created_at, updated_at, next_attempt_at)
        SELECT new_order.id, $13, $14, $15, $16, $17, $18, $19, $20
        FROM new_order
        RETURNING order_id, id
        """;

    public Task InsertAsync(Order order, PaymentRecord payment, CancellationToken ct) =>
        perf.IsOptimized(PerfCatalog.NPlusOneDb) ? InsertInOneStatementAsync(order, payment, ct) : InsertWithEfAsync(order, payment, ct);

    /// <summary>A capture taken inline (naive payment-async): payment captured, order paid, in one round trip.</summary>
    public async Task RecordCaptureAsync(Order order, PaymentRecord payment, CancellationToken ct)
    {
        await CheckoutBatch.ExecuteAsync(db, ct,
            Command("UPDATE payments SET status = $1, updated_at = $2, next_attempt_at = $3 WHERE id = $4",
                Value((int)payment.Status), Value(payment.UpdatedAt), Nullable(payment.NextAttemptAt), Value(payment.Id)),
            Command("UPDATE orders SET status = $1 WHERE id = $2", Value((int)order.Status), Value(order.Id)));
    }

    /// <summary>A write refused because the checkout's Idempotency-Key is already taken, by either variant.</summary>
    public static bool IsUniqueViolation(Exception error) =>
        (error as PostgresException ?? error.InnerException as PostgresException) is { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>Naive: EF inserts the graph, one statement per row.</summary>
    private async Task InsertWithEfAsync(Order order, PaymentRecord payment, CancellationToken ct)
    {
        db.Orders.Add(order);
        db.Payments.Add(payment);
        try
        {
            await db.SaveChangesAsync(ct); // one transaction: order, lines and payment record, or nothing
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Optimized: order, all lines and payment record in one statement, atomic on its own: one round trip, always.</summary>
    private async Task InsertInOneStatementAsync(Order order, PaymentRecord payment, CancellationToken ct)
    {
        var lines = order.Lines;
        var (orderId, paymentId) = await CheckoutBatch.ExecuteAsync(db, ReadIdsAsync, ct, Command(InsertOrderLinesAndPayment,
            Value(order.CustomerId), Value((int)order.Status), Value(order.SubtotalMinor), Value(order.DiscountMinor), Value(order.TotalMinor),
            Value(order.CreatedAt), Nullable(order.IdempotencyKey), Nullable(order.RequestHash),
            Value(lines.Select(l => l.ProductId).ToArray()), Value(lines.Select(l => l.Quantity).ToArray()),
            Value(lines.Select(l => l.UnitPriceMinor).ToArray()), Value(lines.Select(l => l.LineTotalMinor).ToArray()),
            Value(payment.IdempotencyKey), Nullable(payment.ProviderPaymentId), Value((int)payment.Status), Value(payment.AmountMinor),
            Value(payment.Attempts), Value(payment.CreatedAt), Value(payment.UpdatedAt), Nullable(payment.NextAttemptAt)));
        order.Id = orderId;
        payment.OrderId = orderId;
        payment.Id = paymentId;
    }

    private static async Task<(long OrderId, long PaymentId)> ReadIdsAsync(NpgsqlDataReader reader, CancellationToken ct) =>
        await reader.ReadAsync(ct)
            ? (reader.GetInt64(0), reader.GetInt64(1))
            : throw new InvalidOperationException("The order's INSERT returned no ids.");
}
