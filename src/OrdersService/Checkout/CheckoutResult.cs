using PerfReference.OrdersService.Orders;

namespace PerfReference.OrdersService.Checkout;

/// <summary>What a checkout came to: a new order, an order taken whose payment is still to come, the replay of an earlier one, or a refusal with its reason.</summary>
public abstract record CheckoutResult
{
    public sealed record Placed(OrderDetails Order) : CheckoutResult;

    /// <summary>
    /// The order is stored but its payment is not yet authorised: the provider was unavailable (an
    /// outage, an open circuit). The payment worker authorises and captures it when the provider is back.
    /// </summary>
    public sealed record Accepted(OrderDetails Order) : CheckoutResult;

    /// <summary>The Idempotency-Key was seen before with the same request: the first result, unchanged.</summary>
    public sealed record Replayed(OrderDetails Order) : CheckoutResult;

    /// <summary>Nothing was stored. <paramref name="RetryAfter"/> is set when trying again later may succeed.</summary>
    public sealed record Refused(int StatusCode, string Title, string Detail, TimeSpan? RetryAfter = null) : CheckoutResult;
}
