using Microsoft.EntityFrameworkCore;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Catalog;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Checkout;

/// <summary>
/// Prices the lines of a checkout from the product catalog, in the two variants of the catalog
/// entry <c>n-plus-one-db</c>: naive, one product lookup per line — one database round trip per
/// line, the N+1 as such code is first written; optimized, every product of the order in one query.
/// </summary>
public sealed class OrderLinePricer(OrdersDbContext db, IPerfSwitch perf)
{
    /// <summary>
    /// All the order's products in one command (<c>WHERE id = ANY(@ids)</c>), compiled once: the
    /// LINQ is translated at start-up rather than on every checkout.
    /// </summary>
    private static readonly Func<OrdersDbContext, long[], IAsyncEnumerable<Product>> ProductsByIds =
        EF.CompileAsyncQuery((OrdersDbContext db, long[] ids) => db.Products.AsNoTracking().Where(p => ids.Contains(p.Id)));

    public Task<PricedLines> PriceAsync(IReadOnlyList<(long ProductId, int Quantity)> lines, CancellationToken ct) =>
        perf.IsOptimized(PerfCatalog.NPlusOneDb) ? PriceInOneQueryAsync(lines, ct) : PriceLineByLineAsync(lines, ct);

    /// <summary>Naive: a query per line, so a 200-line order costs 200 round trips before anything is charged.</summary>
    private async Task<PricedLines> PriceLineByLineAsync(IReadOnlyList<(long ProductId, int Quantity)> lines, CancellationToken ct)
    {
        var products = new Dictionary<long, Product>();
        foreach (var (productId, _) in lines)
        {
            if (await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == productId, ct) is { } product)
            {
                products[productId] = product;
            }
        }

        return Price(lines, products);
    }

    /// <summary>Optimized: one query, whatever the number of lines.</summary>
    private async Task<PricedLines> PriceInOneQueryAsync(IReadOnlyList<(long ProductId, int Quantity)> lines, CancellationToken ct)
    {
        var ids = lines.Select(line => line.ProductId).ToArray();
        var products = new Dictionary<long, Product>(ids.Length);
        await foreach (var product in ProductsByIds(db, ids).WithCancellation(ct))
        {
            products[product.Id] = product;
        }

        return Price(lines, products);
    }

    /// <summary>The same pricing for both variants (and <see cref="CheckoutLookup"/>): lines in the order asked, unknown or inactive products listed.</summary>
    internal static PricedLines Price(IReadOnlyList<(long ProductId, int Quantity)> lines, IReadOnlyDictionary<long, Product> products)
    {
        var priced = new List<PricedLine>(lines.Count);
        var unknown = new List<long>();
        foreach (var (productId, quantity) in lines)
        {
            if (products.TryGetValue(productId, out var product) && product.IsActive)
            {
                priced.Add(new PricedLine(product, quantity));
            }
            else
            {
                unknown.Add(productId);
            }
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
    /// <summary>Nothing priced: what a replayed checkout, which reads no products, carries.</summary>
    public static PricedLines None { get; } = new([], []);

    public long SubtotalMinor => Lines.Sum(line => line.LineTotalMinor);
}
