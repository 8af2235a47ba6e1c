using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using PerfReference.OrdersDatabase;

namespace PerfReference.OrdersService.Caching;

public sealed class WarmSetOptions
{
    public const string SectionName = "PerfReference:CacheWarming";

    /// <summary>How many of the best-selling products to load into Redis before the service is ready.</summary>
    [Range(0, 100_000)]
    public int Products { get; set; } = 500;

    /// <summary>How many of the most recently active customers' grains to activate before the service is ready.</summary>
    [Range(0, 100_000)]
    public int Customers { get; set; } = 200;

    /// <summary>Whether the service warms up at start, before its health check reports ready (the optimized variant of cache-warming).</summary>
    public bool WarmUpOnStart { get; set; }
}

/// <summary>
/// What is worth having warm when traffic arrives: the best sellers (most ordered lately) and the
/// customers who ordered most recently — the keys the first requests after a deploy will ask for.
/// </summary>
public sealed class WarmSet(OrdersDbContext db)
{
    public async Task<IReadOnlyList<long>> BestSellingProductsAsync(int count, CancellationToken ct) =>
        await db.OrderLines
            .Where(line => line.Product!.IsActive)
            .GroupBy(line => line.ProductId)
            .OrderByDescending(group => group.Count()).ThenBy(group => group.Key)
            .Select(group => group.Key)
            .Take(count)
            .ToListAsync(ct);

    public async Task<IReadOnlyList<long>> RecentCustomersAsync(int count, CancellationToken ct) =>
        await db.Orders
            .GroupBy(order => order.CustomerId)
            .OrderByDescending(group => group.Max(order => order.CreatedAt)).ThenBy(group => group.Key)
            .Select(group => group.Key)
            .Take(count)
            .ToListAsync(ct);
}
