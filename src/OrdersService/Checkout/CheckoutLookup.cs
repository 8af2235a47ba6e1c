using Microsoft.EntityFrameworkCore;
using Npgsql;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Catalog;
using static PerfReference.OrdersService.Checkout.CheckoutBatch;

namespace PerfReference.OrdersService.Checkout;

/// <summary>An order stored under a checkout's Idempotency-Key: its id, and the hash of the request that placed it.</summary>
public sealed record StoredCheckout(long OrderId, string? RequestHash);

/// <summary>
/// A checkout's two database reads — was its Idempotency-Key stored before, what do its products cost — sent as one
/// batch: neither needs the other's answer, so they need not wait for each other on the request's connection. One
/// round trip instead of two (the optimized <c>sequential-awaits</c>, with <c>n-plus-one-db</c>'s one product query).
/// </summary>
public sealed class CheckoutLookup(OrdersDbContext db)
{
    private const string StoredUnderKey = "SELECT id, request_hash FROM orders WHERE idempotency_key = $1";

    /// <summary>Every product of the order, in the columns of <see cref="Product"/>.</summary>
    private const string ProductsByIds = "SELECT id, sku, name, category, price_minor, is_active, stock FROM products WHERE id = ANY($1)";

    /// <summary>
    /// The key's stored order (null when the key is new, or there is none) and the lines priced as
    /// <see cref="OrderLinePricer"/> prices them. Retried on a transient failure by EF Core's execution strategy,
    /// as the two queries were when EF sent them: reads are safe to repeat.
    /// </summary>
    public Task<(StoredCheckout? Stored, PricedLines Priced)> ReadAsync(
        string? idempotencyKey, IReadOnlyList<(long ProductId, int Quantity)> lines, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(token => ReadOnceAsync(idempotencyKey, lines, token), ct);

    private async Task<(StoredCheckout? Stored, PricedLines Priced)> ReadOnceAsync(
        string? idempotencyKey, IReadOnlyList<(long ProductId, int Quantity)> lines, CancellationToken ct)
    {
        var products = Command(ProductsByIds, Value(lines.Select(line => line.ProductId).ToArray()));
        return idempotencyKey is null
            ? (null, await ExecuteAsync(db, PriceAsync, ct, products))
            : await ExecuteAsync(db, async (reader, token) => (await StoredAsync(reader, token), await PriceAsync(reader, token)), ct,
                Command(StoredUnderKey, Nullable(idempotencyKey)), products);

        async Task<PricedLines> PriceAsync(NpgsqlDataReader reader, CancellationToken token)
        {
            var found = new Dictionary<long, Product>(lines.Count);
            while (await reader.ReadAsync(token))
            {
                var product = new Product
                {
                    Id = reader.GetInt64(0),
                    Sku = reader.GetString(1),
                    Name = reader.GetString(2),
                    Category = reader.GetString(3),
                    PriceMinor = reader.GetInt64(4),
                    IsActive = reader.GetBoolean(5),
                    Stock = reader.GetInt32(6),
                };
                found[product.Id] = product;
            }

            return OrderLinePricer.Price(lines, found);
        }
    }

    /// <summary>Reads the key's result, and moves the reader on to the next.</summary>
    private static async Task<StoredCheckout?> StoredAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var stored = await reader.ReadAsync(ct) ? new StoredCheckout(reader.GetInt64(0), await reader.IsDBNullAsync(1, ct) ? null : reader.GetString(1)) : null;
        await reader.NextResultAsync(ct);
        return stored;
    }
}
