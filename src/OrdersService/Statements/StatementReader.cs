using Microsoft.EntityFrameworkCore;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Payments;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Statements;

/// <summary>
/// A customer's statement as the HTTP response, in the two variants of the catalog entry
/// <c>serialization</c>: naive, the entity graph (tracked, every column, payments fixed up to their
/// orders) handed to the API's reflection-based serializer; optimized, a projection of only the
/// columns the statement shows, read in one command and written by the source-generated
/// <see cref="StatementJsonContext"/>.
/// </summary>
public sealed class StatementReader(OrdersDbContext db, IPerfSwitch perf)
{
    /// <summary>The statement's response, or null when no customer has this id.</summary>
    public Task<IResult?> ReadAsync(long customerId, CancellationToken ct) =>
        perf.IsOptimized(PerfCatalog.Serialization) ? ReadProjectionAsync(customerId, ct) : ReadEntityGraphAsync(customerId, ct);

    /// <summary>Naive: the entities as loaded, serialized by reflection with the API's JSON options.</summary>
    private async Task<IResult?> ReadEntityGraphAsync(long customerId, CancellationToken ct) =>
        await LoadEntitiesAsync(customerId, ct) is { } entities ? TypedResults.Ok(entities) : null;

    /// <summary>Optimized: the projection, serialized by code generated for exactly its properties.</summary>
    private async Task<IResult?> ReadProjectionAsync(long customerId, CancellationToken ct) =>
        await LoadProjectionAsync(customerId, ct) is { } statement ? TypedResults.Json(statement, StatementJsonContext.Default.CustomerStatement) : null;

    private async Task<StatementEntities?> LoadEntitiesAsync(long customerId, CancellationToken ct)
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

    /// <summary>The customer, its orders, their lines with product names and the latest payment's status, in one command.</summary>
    private async Task<CustomerStatement?> LoadProjectionAsync(long customerId, CancellationToken ct) =>
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
