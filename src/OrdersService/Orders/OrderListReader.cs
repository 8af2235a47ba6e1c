using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PerfReference.OrdersDatabase;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Orders;

/// <summary>
/// The orders of a time window, newest first, in the two variants of the catalog entry <c>unbounded-results</c>,
/// for two features. The listing (<see cref="ListAsync"/>): naive, everything that matches in one answer — a
/// fortnight of the default data set is ~20,000 orders, every one materialised and serialised by every request;
/// optimized, a keyset page of at most <see cref="MaxPageSize"/> with the cursor of the next. The export
/// (<see cref="ExportAsync"/>), where the whole window is the feature: naive, the list materialised and serialised to
/// one buffer before the first byte goes out; optimized, the rows streamed from the database reader through the
/// serializer to the client (<see cref="IAsyncEnumerable{T}"/>), so memory stays flat however long the window.
/// The <see cref="DateRange"/> cap (31 days) is what keeps the naive variant from taking the machine down.
/// </summary>
public sealed class OrderListReader(OrdersDbContext db, IPerfSwitch perf)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 500;

    public Task<OrderListPage> ListAsync(DateRange range, OrderCursor? after, int pageSize, CancellationToken ct) =>
        perf.IsOptimized(PerfCatalog.UnboundedResults) ? ListPageAsync(range, after, pageSize, ct) : ListEverythingAsync(range, after, ct);

    /// <summary>Naive: no page — every order of the window (after the cursor, if one is given) in one answer.</summary>
    private async Task<OrderListPage> ListEverythingAsync(DateRange range, OrderCursor? after, CancellationToken ct) =>
        new(await Matching(range, after).ToListAsync(ct), Next: null);

    /// <summary>Optimized: one bounded page, read as an index range from the cursor (one row more, to know whether a next page exists).</summary>
    private async Task<OrderListPage> ListPageAsync(DateRange range, OrderCursor? after, int pageSize, CancellationToken ct)
    {
        var rows = await Matching(range, after).Take(pageSize + 1).ToListAsync(ct);
        return rows.Count > pageSize
            ? new OrderListPage(rows[..pageSize], OrderCursor.Of(rows[pageSize - 1]).ToString())
            : new OrderListPage(rows, Next: null);
    }

    /// <summary>The export of a whole window as a JSON array, newest first: the response, buffered (naive) or streamed (optimized).</summary>
    public Task<IResult> ExportAsync(DateRange range, CancellationToken ct) =>
        perf.IsOptimized(PerfCatalog.UnboundedResults) ? Task.FromResult(ExportStreamed(range)) : ExportBufferedAsync(range, ct);

    /// <summary>Naive: the list, then its JSON in one byte array (a large-object-heap allocation the size of the answer), then the response.</summary>
    private async Task<IResult> ExportBufferedAsync(DateRange range, CancellationToken ct)
    {
        var orders = await Matching(range, after: null).ToListAsync(ct);
        return TypedResults.Bytes(JsonSerializer.SerializeToUtf8Bytes(orders, OrderListJsonContext.Default.ListOrderListItem), "application/json");
    }

    /// <summary>Optimized: each row serialized as the reader yields it, the response flushed as the serializer's buffer fills.</summary>
    private IResult ExportStreamed(DateRange range) =>
        TypedResults.Json(Matching(range, after: null).AsAsyncEnumerable(), OrderListJsonContext.Default.IAsyncEnumerableOrderListItem);

    /// <summary>The window's orders after the cursor, newest first, in the order of the index on (created_at, id).</summary>
    private IQueryable<OrderListItem> Matching(DateRange range, OrderCursor? after)
    {
        var orders = db.Orders.AsNoTracking().Where(o => o.CreatedAt >= range.From && o.CreatedAt < range.To);
        if (after is { } cursor)
        {
            orders = orders.Where(o => o.CreatedAt < cursor.CreatedAt || (o.CreatedAt == cursor.CreatedAt && o.Id < cursor.Id));
        }

        return orders
            .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id)
            .Select(o => new OrderListItem(o.Id, o.CustomerId, o.Status, o.CreatedAt, o.TotalMinor));
    }
}
