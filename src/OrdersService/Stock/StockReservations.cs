using Microsoft.EntityFrameworkCore;
using PerfReference.OrdersDatabase;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Stock;

/// <summary>What a reservation did: reserved (and what is left), refused for want of stock, or no such product.</summary>
public abstract record ReservationResult
{
    public sealed record Reserved(long ProductId, int Quantity, int Remaining) : ReservationResult;

    public sealed record OutOfStock(long ProductId, int Requested, int Available) : ReservationResult;

    public sealed record UnknownProduct(long ProductId) : ReservationResult;
}

/// <summary>
/// Reserves units of a product's stock — the hot spot of an order system when one product sells
/// fast — for the catalog entry <c>lock-contention</c>. Both variants never oversell and never take
/// the stock below zero; they differ in what they hold while they decide. Naive: one process-wide
/// lock around read-check-write, two round trips to PostgreSQL made while holding it (and, since a
/// <c>lock</c> cannot span an await, made synchronously): every reservation of every product waits
/// for the one before, and throughput is one over the lock's hold time. Optimized: one conditional
/// UPDATE (<c>stock = stock - @q WHERE stock &gt;= @q</c>) that PostgreSQL applies atomically under its
/// row lock, held for the statement only — reservations of different products never wait for
/// each other, and those of the same product wait microseconds inside the server, not round trips.
/// </summary>
public sealed class StockReservations(OrdersDbContext db, IPerfSwitch perf)
{
    /// <summary>The naive variant's lock: one for the whole process, every product.</summary>
    private static readonly Lock OneLock = new();

    public Task<ReservationResult> ReserveAsync(long productId, int quantity, CancellationToken ct) =>
        perf.IsOptimized(PerfCatalog.LockContention)
            ? ReserveAtomicallyAsync(productId, quantity, ct)
            : Task.FromResult(ReserveUnderOneLock(productId, quantity));

    /// <summary>Sets a product's stock (an inventory feed's delivery); false when no such product.</summary>
    public async Task<bool> SetStockAsync(long productId, int units, CancellationToken ct) =>
        await db.Products.Where(p => p.Id == productId).ExecuteUpdateAsync(set => set.SetProperty(p => p.Stock, units), ct) == 1;

    private ReservationResult ReserveUnderOneLock(long productId, int quantity)
    {
        lock (OneLock)
        {
            var stock = StockOf(productId).SingleOrDefault();
            if (stock is not { } available)
            {
                return new ReservationResult.UnknownProduct(productId);
            }

            if (available < quantity)
            {
                return new ReservationResult.OutOfStock(productId, quantity, available);
            }

            // Correct only because nothing else writes the stock between this read and this write: the lock says so.
            db.Products.Where(p => p.Id == productId).ExecuteUpdate(set => set.SetProperty(p => p.Stock, available - quantity));
            return new ReservationResult.Reserved(productId, quantity, available - quantity);
        }
    }

    private async Task<ReservationResult> ReserveAtomicallyAsync(long productId, int quantity, CancellationToken ct)
    {
        var remaining = await db.Database
            .SqlQuery<int>($"UPDATE products SET stock = stock - {quantity} WHERE id = {productId} AND is_active AND stock >= {quantity} RETURNING stock AS \"Value\"")
            .ToListAsync(ct);
        if (remaining is [var left])
        {
            return new ReservationResult.Reserved(productId, quantity, left);
        }

        // Refused: say why (no such product, or not enough left) — a read on the refusal path only.
        return await StockOf(productId).SingleOrDefaultAsync(ct) is { } available
            ? new ReservationResult.OutOfStock(productId, quantity, available)
            : new ReservationResult.UnknownProduct(productId);
    }

    private IQueryable<int?> StockOf(long productId) =>
        db.Products.AsNoTracking().Where(p => p.Id == productId && p.IsActive).Select(p => (int?)p.Stock);
}
