using PerfReference.OrdersDatabase.Ordering;

namespace PerfReference.OrdersService.Operations;

/// <summary>The operations view of a time window: how many orders were placed, for how much, and in which state they are.</summary>
public sealed record OrdersSummary(DateTimeOffset From, DateTimeOffset To, long Orders, long TotalMinor, string Currency, IReadOnlyList<StatusSummary> ByStatus);

public sealed record StatusSummary(OrderStatus Status, long Orders, long TotalMinor);
