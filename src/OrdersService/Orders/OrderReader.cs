using Microsoft.EntityFrameworkCore;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Catalog;

namespace PerfReference.OrdersService.Orders;

/// <summary>
/// Reads orders for the API. <see cref="FindAsync"/> is written the way it is first written: the
/// order, then its lines, then each line's product one at a time (the N+1 that the catalog entry
/// <c>n-plus-one-db</c> measures).
/// </summary>
public sealed class OrderReader(OrdersDbContext db)
{
    public async Task<OrderDetails?> FindAsync(long orderId, CancellationToken ct)
    {
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null)
        {
            return null;
        }

        order.Lines = await db.OrderLines.AsNoTracking().Where(l => l.OrderId == orderId).ToListAsync(ct);

        var products = new Dictionary<long, Product>();
        foreach (var line in order.Lines)
        {
            if (!products.ContainsKey(line.ProductId))
            {
                products[line.ProductId] = await db.Products.AsNoTracking().SingleAsync(p => p.Id == line.ProductId, ct);
            }
        }

        var payment = await db.Payments.AsNoTracking().Where(p => p.OrderId == orderId).OrderByDescending(p => p.Id).FirstOrDefaultAsync(ct);
        return OrderDetails.From(order, products, payment);
    }

    public async Task<Page<OrderSummary>> ForCustomerAsync(long customerId, PageRequest page, CancellationToken ct)
    {
        var orders = db.Orders.AsNoTracking().Where(o => o.CustomerId == customerId);
        var total = await orders.CountAsync(ct);
        var items = await orders
            .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id)
            .Skip(page.Skip).Take(page.PageSize)
            .Select(o => new OrderSummary(o.Id, o.Status, o.CreatedAt, o.TotalMinor, o.Lines.Count))
            .ToListAsync(ct);
        return new Page<OrderSummary>(items, page.Page, page.PageSize, total);
    }
}
