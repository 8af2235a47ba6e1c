using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.OrdersService.Orders;
using PerfReference.Performance;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// unbounded-results: the listing answers every order of the window at once naive, and the same orders a bounded
/// page at a time optimized; the export sends the same bytes either way, buffered whole (naive) or streamed.
/// </summary>
public sealed class UnboundedResultsPairTests(OrdersDatabaseFixture database)
{
    private const int PageSize = 7;

    /// <summary>
    /// Most of the tiny data set's orders (seeded over the last two years), and none that other tests add while this
    /// one runs (they are stamped 2026-01-01 or now).
    /// </summary>
    private static readonly DateRange Window = new(DateTimeOffset.UtcNow.AddDays(-300), DateTimeOffset.UtcNow.AddDays(-1));

    [Fact]
    public async Task TheNaiveListingIsEverythingAtOnceAndTheOptimizedOneTheSameOrdersInBoundedPages()
    {
        var ct = TestContext.Current.CancellationToken;

        var everything = await ListAsync(FixedPerfSwitch.AllNaive, after: null, ct);
        var pages = new List<OrderListPage>();
        OrderCursor? after = null;
        do
        {
            var page = await ListAsync(FixedPerfSwitch.OnlyOptimized(PerfCatalog.UnboundedResults), after, ct);
            pages.Add(page);
            after = page.Next is { } next ? OrderCursor.Parse(next) : null;
        }
        while (after is not null);

        Assert.Null(everything.Next);
        Assert.True(everything.Items.Count > 3 * PageSize, $"The window should hold several pages, not {everything.Items.Count} orders.");
        Assert.All(pages, page => Assert.InRange(page.Items.Count, 1, PageSize));
        Assert.Equal((everything.Items.Count + PageSize - 1) / PageSize, pages.Count);
        Assert.Equal(everything.Items, pages.SelectMany(page => page.Items));
        Assert.Equal(everything.Items.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id), everything.Items);
    }

    [Fact]
    public async Task TheExportIsTheSameBytesBufferedWholeNaiveAndStreamedOptimized()
    {
        var ct = TestContext.Current.CancellationToken;

        var (naiveBody, naiveLength) = await ExportAsync(FixedPerfSwitch.AllNaive, ct);
        var (optimizedBody, optimizedLength) = await ExportAsync(FixedPerfSwitch.OnlyOptimized(PerfCatalog.UnboundedResults), ct);

        Assert.Equal(naiveBody, optimizedBody);
        Assert.StartsWith("[{\"id\":", System.Text.Encoding.UTF8.GetString(optimizedBody));
        // Naive: the whole answer existed in memory before it was sent, so its length was known up front.
        // Optimized: written as the rows came, its length unknown until the end (sent chunked).
        Assert.Equal(naiveBody.Length, naiveLength);
        Assert.Null(optimizedLength);
    }

    private async Task<OrderListPage> ListAsync(IPerfSwitch perf, OrderCursor? after, CancellationToken ct)
    {
        await using var db = database.NewContext();
        return await new OrderListReader(db, perf).ListAsync(Window, after, PageSize, ct);
    }

    private async Task<(byte[] Body, long? ContentLength)> ExportAsync(IPerfSwitch perf, CancellationToken ct)
    {
        await using var db = database.NewContext();
        var result = await new OrderListReader(db, perf).ExportAsync(Window, ct);
        await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        using var body = new MemoryStream();
        http.Response.Body = body;
        await result.ExecuteAsync(http);
        return (body.ToArray(), http.Response.ContentLength);
    }
}
