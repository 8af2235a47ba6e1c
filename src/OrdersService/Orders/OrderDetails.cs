using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Catalog;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersDatabase.Payments;

namespace PerfReference.OrdersService.Orders;

/// <summary>An order as the API returns it. Amounts are in minor units (cents) of <see cref="Currency"/>.</summary>
public sealed record OrderDetails(
    long Id,
    long CustomerId,
    OrderStatus Status,
    DateTimeOffset CreatedAt,
    string Currency,
    long SubtotalMinor,
    long DiscountMinor,
    long TotalMinor,
    IReadOnlyList<OrderLineDetails> Lines,
    PaymentSummary? Payment)
{
    public static OrderDetails From(Order order, IReadOnlyDictionary<long, Product> products, PaymentRecord? payment) =>
        From(order, products, payment is null ? null : new PaymentSummary(payment.Status, payment.ProviderPaymentId, payment.AmountMinor));

    public static OrderDetails From(Order order, IReadOnlyDictionary<long, Product> products, PaymentSummary? payment) => new(
        order.Id,
        order.CustomerId,
        order.Status,
        order.CreatedAt,
        OrdersDbContext.Currency,
        order.SubtotalMinor,
        order.DiscountMinor,
        order.TotalMinor,
        order.Lines.OrderBy(line => line.Id).Select(line => new OrderLineDetails(
            line.ProductId,
            products[line.ProductId].Sku,
            products[line.ProductId].Name,
            line.Quantity,
            line.UnitPriceMinor,
            line.LineTotalMinor)).ToArray(),
        payment);
}

public sealed record OrderLineDetails(long ProductId, string Sku, string Name, int Quantity, long UnitPriceMinor, long LineTotalMinor);

public sealed record PaymentSummary(PaymentRecordStatus Status, string? ProviderPaymentId, long AmountMinor);

/// <summary>One order in a customer's order history.</summary>
public sealed record OrderSummary(long Id, OrderStatus Status, DateTimeOffset CreatedAt, long TotalMinor, int LineCount);
