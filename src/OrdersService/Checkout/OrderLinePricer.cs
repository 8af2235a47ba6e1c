using Microsoft.EntityFrameworkCore;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Catalog;

namespace PerfReference.OrdersService.Checkout;

/// <summary>
/// Prices the lines of a checkout from the product catalog. Written the way such code is first
/// written: one product lookup per line — one database round trip per line (the N+1 that the
/// catalog entry <c>n-plus-one-db</c> measures).
/// </summary>
public sealed class OrderLinePricer(OrdersDbContext db)
{
    public async Task<PricedLines> PriceAsync(IReadOnlyList<(long ProductId, int Quantity)> lines, CancellationToken ct)
    {
        var priced = new List<PricedLine>(lines.Count);
        var unknown = new List<long>();

        foreach (var (productId, quantity) in lines)
        {
            var product = await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == productId, ct);
            if (product is not { IsActive: true })
            {
                unknown.Add(productId);
                continue;
            }

            priced.Add(new PricedLine(product, quantity));
        }

        return new PricedLines(priced, unknown);
    }
}

public sealed record PricedLine(Product Product, int Quantity)
{
    public long LineTotalMinor => Product.PriceMinor * Quantity;
}

public sealed record PricedLines(IReadOnlyList<PricedLine> Lines, IReadOnlyList<long> UnknownProductIds)
{
    public long SubtotalMinor => Lines.Sum(line => line.LineTotalMinor);
}
