using System.Globalization;
using PerfReference.OrdersDatabase.Ordering;

namespace PerfReference.OrdersService.Orders;

/// <summary>One order in a listing of a time window (the operations and accounting views).</summary>
public sealed record OrderListItem(long Id, long CustomerId, OrderStatus Status, DateTimeOffset CreatedAt, long TotalMinor);

/// <summary>
/// A page of a listing, newest first. <see cref="Next"/> is the cursor of the following page (pass it back as
/// <c>after</c>), null on the last page.
/// </summary>
public sealed record OrderListPage(IReadOnlyList<OrderListItem> Items, string? Next);

/// <summary>
/// A keyset cursor: the (created_at, id) of the last order a page held; the next page starts below it in the
/// listing's order, so every page is one index range read however deep the client pages (OFFSET would read and
/// throw away every row before the page).
/// </summary>
public readonly record struct OrderCursor(DateTimeOffset CreatedAt, long Id)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{CreatedAt.UtcTicks}.{Id}");

    public static OrderCursor Of(OrderListItem item) => new(item.CreatedAt, item.Id);

    /// <summary>The cursor a page answered with; null when <paramref name="text"/> is not one.</summary>
    public static OrderCursor? Parse(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks && id > 0
                ? new OrderCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id)
                : null;
    }
}
