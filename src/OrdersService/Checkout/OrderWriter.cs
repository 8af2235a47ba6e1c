using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersDatabase.Payments;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Checkout;

/// <summary>
/// Stores a checkout's order, lines and payment record atomically, in the two variants of
/// <c>n-plus-one-db</c>'s write, and records a capture taken inline. Both variants send one batch
/// (order ids come from a hi/lo sequence, so no <c>RETURNING id</c> round trip comes first). Naive,
/// EF Core's <c>SaveChanges</c> puts one <c>INSERT … RETURNING id</c> statement per line in that
/// batch: 200 statements and ~1,000 parameters for a 200-line order, each line tracked, bound and
/// read back. Optimized, the batch holds three statements whatever the size of the order: the lines
/// go in as one <c>INSERT … SELECT FROM unnest(…)</c> of four arrays. Either way the writer keeps no
/// state and leaves nothing tracked: the entities carry their ids, and what follows writes by id.
/// </summary>
public sealed class OrderWriter(OrdersDbContext db, IPerfSwitch perf)
{
    public Task InsertAsync(Order order, PaymentRecord payment, CancellationToken ct) =>
        perf.IsOptimized(PerfCatalog.NPlusOneDb) ? InsertInThreeStatementsAsync(order, payment, ct) : InsertWithEfAsync(order, payment, ct);

    /// <summary>A capture taken inline (naive payment-async): payment captured, order paid, in one round trip.</summary>
    public async Task RecordCaptureAsync(Order order, PaymentRecord payment, CancellationToken ct)
    {
        await ExecuteBatchAsync(ct,
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

    /// <summary>Optimized: order, all lines and payment record in three statements of one batch, atomic as one implicit transaction.</summary>
    private async Task InsertInThreeStatementsAsync(Order order, PaymentRecord payment, CancellationToken ct)
    {
        order.Id = await NextOrderIdAsync(order, ct);
        var lines = order.Lines;
        payment.OrderId = order.Id;

        var paymentId = await ExecuteBatchAsync(ct,
            Command("""
                INSERT INTO orders (id, customer_id, status, subtotal_minor, discount_minor, total_minor, created_at, idempotency_key, request_hash)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """,
                Value(order.Id), Value(order.CustomerId), Value((int)order.Status), Value(order.SubtotalMinor), Value(order.DiscountMinor),
                Value(order.TotalMinor), Value(order.CreatedAt), Nullable(order.IdempotencyKey), Nullable(order.RequestHash)),
            Command("""
                INSERT INTO order_lines (order_id, product_id, quantity, unit_price_minor, line_total_minor)
                SELECT $1, product_id, quantity, unit_price_minor, line_total_minor
                FROM unnest($2, $3, $4, $5) WITH ORDINALITY AS line (product_id, quantity, unit_price_minor, line_total_minor, position)
                ORDER BY position
                """,
                Value(order.Id), Value(lines.Select(l => l.ProductId).ToArray()), Value(lines.Select(l => l.Quantity).ToArray()),
                Value(lines.Select(l => l.UnitPriceMinor).ToArray()), Value(lines.Select(l => l.LineTotalMinor).ToArray())),
            Command("""
                INSERT INTO payments (order_id, idempotency_key, provider_payment_id, status, amount_minor, attempts, created_at, updated_at, next_attempt_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                RETURNING id
                """,
                Value(order.Id), Value(payment.IdempotencyKey), Nullable(payment.ProviderPaymentId), Value((int)payment.Status),
                Value(payment.AmountMinor), Value(payment.Attempts), Value(payment.CreatedAt), Value(payment.UpdatedAt), Nullable(payment.NextAttemptAt)));
        payment.Id = paymentId ?? throw new InvalidOperationException("The payment record's INSERT returned no id.");
    }

    /// <summary>
    /// The order's id from EF's hi/lo generator (a round trip only when a block of ten is used up).
    /// EF tracks the order for that instant only, without its lines, and lets go of it at once.
    /// </summary>
    private async Task<long> NextOrderIdAsync(Order order, CancellationToken ct)
    {
        var lines = order.Lines;
        order.Lines = [];
        try
        {
            var entry = await db.Orders.AddAsync(order, ct);
            var id = order.Id;
            entry.State = EntityState.Detached;
            return id;
        }
        finally
        {
            order.Lines = lines;
        }
    }

    /// <summary>Sends the commands as one batch on EF's connection; returns the first column of the last row read, if any.</summary>
    private async Task<long?> ExecuteBatchAsync(CancellationToken ct, params NpgsqlBatchCommand[] commands)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
            foreach (var command in commands)
            {
                batch.BatchCommands.Add(command);
            }

            long? returned = null;
            await using var reader = await batch.ExecuteReaderAsync(ct);
            do
            {
                while (await reader.ReadAsync(ct))
                {
                    returned = reader.GetInt64(0);
                }
            }
            while (await reader.NextResultAsync(ct));

            return returned;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<T> Value<T>(T value) => new() { TypedValue = value };

    private static NpgsqlParameter Nullable(string? value) =>
        new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar };

    private static NpgsqlParameter Nullable(DateTimeOffset? value) =>
        new() { Value = value is { } time ? time : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
