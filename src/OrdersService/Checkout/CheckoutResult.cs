using PerfReference.OrdersService.Orders;

namespace PerfReference.OrdersService.Checkout;

/// <summary>What a checkout came to: a new order, the replay of an earlier one, or a refusal with its reason.</summary>
public abstract record CheckoutResult
{
    public sealed record Placed(OrderDetails Order) : CheckoutResult;

    /// <summary>The Idempotency-Key was seen before with the same request: the first result, unchanged.</summary>
    public sealed record Replayed(OrderDetails Order) : CheckoutResult;

    public sealed record Refused(int StatusCode, string Title, string Detail) : CheckoutResult;
}
