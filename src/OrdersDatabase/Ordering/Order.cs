using PerfReference.OrdersDatabase.Customers;

namespace PerfReference.OrdersDatabase.Ordering;

public enum OrderStatus
{
    /// <summary>Payment authorised; capture pending.</summary>
    Placed = 0,

    /// <summary>Payment captured.</summary>
    Paid = 1,

    Cancelled = 2,

    /// <summary>
    /// Taken while the payment provider could not authorise it (an outage, an open circuit): the
    /// payment worker authorises and captures it once the provider is back, or cancels it if refused.
    /// </summary>
    PendingPayment = 3,
}

public sealed class Order
{
    public long Id { get; set; }

    public long CustomerId { get; set; }

    public Customer? Customer { get; set; }

    public OrderStatus Status { get; set; }

    public long SubtotalMinor { get; set; }

    public long DiscountMinor { get; set; }

    public long TotalMinor { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The client's Idempotency-Key, when it sent one: a retried checkout finds its first order by it.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>A hash of the checkout request that created the order: the same key with another request is refused.</summary>
    public string? RequestHash { get; set; }

    public List<OrderLine> Lines { get; set; } = [];
}

public sealed class OrderLine
{
    public long Id { get; set; }

    public long OrderId { get; set; }

    public long ProductId { get; set; }

    public Catalog.Product? Product { get; set; }

    public int Quantity { get; set; }

    public long UnitPriceMinor { get; set; }

    public long LineTotalMinor { get; set; }
}
