using Microsoft.EntityFrameworkCore;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Catalog;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersDatabase.Payments;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Orders;

/// <summary>
/// Reads orders for the API. <see cref="FindAsync"/> comes in the two variants of the catalog entry
/// <c>n-plus-one-db</c>: naive, the order, then its lines, then each line's product one at a time;
/// optimized, the order with its lines, their products and its payment in one command.
/// </summary>
public sealed class OrderReader(OrdersDbContext db, IPerfSwitch perf)
{
    /// <summary>
    /// The order, its lines with their products (JOINs) and what the API shows of its latest payment: one command for
    /// any number of lines, compiled once rather than translated on every read. The payment's three fields are three
    /// scalar subqueries (each an index lookup on payments.order_id, the newest row first) on purpose: the payment record
    /// as one entity, <c>...OrderByDescending(p => p.Id).FirstOrDefault()</c>, is translated by EF Core 10 into a join
    /// with <c>ROW_NUMBER() OVER (PARTITION BY order_id ...)</c> over every payment — nothing on the tiny data set's 300,
    /// a second and a half a read on the default data set's million (see the log's n-plus-one-db entry).
    /// </summary>
    private static readonly Func<OrdersDbContext, long, CancellationToken, Task<OrderWithPayment?>> OrderWithLinesAndPayment =
        EF.CompileAsyncQuery((OrdersDbContext db, long orderId, CancellationToken _) => db.Orders.AsNoTracking()
            .Include(o => o.Lines).ThenInclude(l => l.Product)
            .Where(o => o.Id == orderId)
            .Select(o => new OrderWithPayment(
                o,
                db.Payments.Where(p => p.OrderId == o.Id).OrderByDescending(p => p.Id).Select(p => (PaymentRecordStatus?)p.Status).FirstOrDefault(),
                db.Payments.Where(p => p.OrderId == o.Id).OrderByDescending(p => p.Id).Select(p => p.ProviderPaymentId).FirstOrDefault(),
                db.Payments.Where(p => p.OrderId == o.Id).OrderByDescending(p => p.Id).Select(p => (long?)p.AmountMinor).FirstOrDefault()))
            .SingleOrDefault());

    public Task<OrderDetails?> FindAsync(long orderId, CancellationToken ct) =>
        perf.IsOptimized(PerfCatalog.NPlusOneDb) ? FindInOneCommandAsync(orderId, ct) : FindQueryByQueryAsync(orderId, ct);

    /// <summary>Naive: the order, its lines, a query per distinct product, its payment — 203 round trips for 200 products.</summary>
    private async Task<OrderDetails?> FindQueryByQueryAsync(long orderId, CancellationToken ct)
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

    /// <summary>Optimized: one command, the same answer.</summary>
    private async Task<OrderDetails?> FindInOneCommandAsync(long orderId, CancellationToken ct) =>
        await OrderWithLinesAndPayment(db, orderId, ct) is { } found
            ? OrderDetails.From(found.Order, found.Order.Lines.Select(l => l.Product!).DistinctBy(p => p.Id).ToDictionary(p => p.Id), found.Payment)
            : null;

    private sealed record OrderWithPayment(Order Order, PaymentRecordStatus? PaymentStatus, string? ProviderPaymentId, long? PaymentAmountMinor)
    {
        public PaymentSummary? Payment => PaymentStatus is { } status ? new PaymentSummary(status, ProviderPaymentId, PaymentAmountMinor ?? 0) : null;
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
