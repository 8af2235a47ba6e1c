namespace PerfReference.OrdersService.Checkout;

/// <summary>The body of <c>POST /api/orders</c>. Nullable members so a missing field is reported as missing, not as zero.</summary>
public sealed record CheckoutRequest(long? CustomerId, IReadOnlyList<CheckoutLine>? Lines);

public sealed record CheckoutLine(long? ProductId, int? Quantity);
