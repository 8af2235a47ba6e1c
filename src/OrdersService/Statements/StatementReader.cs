using Microsoft.EntityFrameworkCore;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Payments;

namespace PerfReference.OrdersService.Statements;

/// <summary>
/// Reads a customer's statement, in the two variants of the catalog entry <c>serialization</c>:
/// naive, the entity graph (tracked, every column, payments fixed up to their orders); optimized, a
/// projection of only the columns the statement shows, in one command.
/// </summary>
public sealed class StatementReader(OrdersDbContext db)
{
    /// <summary>Naive: load the entities and hand them to the serializer as they are.</summary>
    public async Task<StatementEntities?> ReadEntitiesAsync(long customerId, CancellationToken ct)
    {
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == customerId, ct);
        if (customer is null)
        {
            return null;
        }

        var orders = await db.Orders
            .Include(o => o.Customer)
            .Include(o => o.Lines.OrderBy(l => l.Id)).ThenInclude(l => l.Product)
            .Where(o => o.CustomerId == customerId)
            .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id)
            .ToListAsync(ct);
        var payments = await db.Payments.Where(p => p.Order!.CustomerId == customerId).OrderBy(p => p.Id).ToListAsync(ct);
        return new StatementEntities(customer, orders, payments);
    }

    /// <summary>Optimized: the customer, its orders, their lines with product names and the latest payment's status, in one command.</summary>
    public async Task<CustomerStatement?> ReadProjectionAsync(long customerId, CancellationToken ct) =>
        await db.Customers.AsNoTracking()
            .Where(c => c.Id == customerId)
            .Select(c => new CustomerStatement(c.Id, c.Name, OrdersDbContext.Currency, db.Orders
                .Where(o => o.CustomerId == c.Id)
                .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id)
                .Select(o => new StatementOrder(
                    o.Id,
                    o.CreatedAt,
                    o.Status,
                    o.TotalMinor,
                    db.Payments.Where(p => p.OrderId == o.Id).OrderByDescending(p => p.Id).Select(p => (PaymentRecordStatus?)p.Status).FirstOrDefault(),
                    o.Lines.OrderBy(l => l.Id).Select(l => new StatementLine(l.Product!.Sku, l.Product.Name, l.Quantity, l.LineTotalMinor)).ToList()))
                .ToList()))
            .SingleOrDefaultAsync(ct);
}
