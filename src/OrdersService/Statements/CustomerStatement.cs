using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersDatabase.Payments;

namespace PerfReference.OrdersService.Statements;

/// <summary>
/// A customer's statement as a client needs it (optimized variant of <c>serialization</c>): every
/// order, newest first, with what was bought and whether it was paid — and nothing else.
/// </summary>
public sealed record CustomerStatement(long CustomerId, string Name, string Currency, IReadOnlyList<StatementOrder> Orders)
{
    public long TotalSpentMinor => Orders.Sum(order => order.TotalMinor);
}

public sealed record StatementOrder(
    long Id,
    DateTimeOffset CreatedAt,
    OrderStatus Status,
    long TotalMinor,
    PaymentRecordStatus? PaymentStatus,
    IReadOnlyList<StatementLine> Lines);

public sealed record StatementLine(string Sku, string Name, int Quantity, long LineTotalMinor);
