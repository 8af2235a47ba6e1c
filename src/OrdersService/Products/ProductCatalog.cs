using Microsoft.EntityFrameworkCore;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersService.Orders;

namespace PerfReference.OrdersService.Products;

public sealed record ProductSummary(long Id, string Sku, string Name, string Category, long PriceMinor);

/// <summary>Lists products for sale, filtered by category and by a word in the name, a page at a time.</summary>
public sealed class ProductCatalog(OrdersDbContext db)
{
    /// <summary>Larger than other lists: a client filling a catalog page takes 200 products at once (the <c>compression</c> entry's payload).</summary>
    public const int MaxPageSize = 200;

    public async Task<Page<ProductSummary>> ListAsync(string? category, string? search, PageRequest page, CancellationToken ct)
    {
        var products = db.Products.AsNoTracking().Where(p => p.IsActive);
        if (!string.IsNullOrWhiteSpace(category))
        {
            products = products.Where(p => p.Category == category);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = $"%{EscapeLike(search.Trim())}%";
            products = products.Where(p => EF.Functions.ILike(p.Name, pattern, @"\"));
        }

        var total = await products.CountAsync(ct);
        var items = await products
            .OrderBy(p => p.Id)
            .Skip(page.Skip).Take(page.PageSize)
            .Select(p => new ProductSummary(p.Id, p.Sku, p.Name, p.Category, p.PriceMinor))
            .ToListAsync(ct);
        return new Page<ProductSummary>(items, page.Page, page.PageSize, total);
    }

    /// <summary>The products for sale among <paramref name="productIds"/>, in one query.</summary>
    public async Task<IReadOnlyList<ProductSummary>> FindAsync(IReadOnlyCollection<long> productIds, CancellationToken ct) =>
        await db.Products.AsNoTracking()
            .Where(p => p.IsActive && productIds.Contains(p.Id))
            .OrderBy(p => p.Id)
            .Select(p => new ProductSummary(p.Id, p.Sku, p.Name, p.Category, p.PriceMinor))
            .ToListAsync(ct);

    /// <summary>A user's "50%" searches for the text "50%", not for "50" followed by anything.</summary>
    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
