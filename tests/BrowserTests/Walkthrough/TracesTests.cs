using System.Text.RegularExpressions;
using PerfReference.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PerfReference.BrowserTests.Walkthrough;

/// <summary>
/// The Traces page: a naive order read next to an optimized one (the N+1 shows as one database span
/// per product), and a checkout whose trace crosses the whole topology with readable span names.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed partial class TracesTests(DashboardFixture dashboard)
{
    /// <summary>The order read's lines: 200 distinct products (the tiny seed has 250).</summary>
    private const int OrderLines = 200;

    /// <summary>What "a handful" of database spans means for the optimized read (today one command: the order with its lines, their products and its payment).</summary>
    private const int OptimizedMaxDatabaseSpans = 5;

    private const string Database = "ordersdb";

    [Fact]
    public async Task TheNaiveOrderReadShowsOneDatabaseSpanPerProductAndTheOptimizedOneAHandful()
    {
        var ct = TestContext.Current.CancellationToken;
        var orders = dashboard.OrdersApi;
        var products = await orders.ProductIdsAsync(OrderLines, ct);
        var order = await orders.PlaceOrderAsync(11, products.Select(id => (id, 1)), OrdersClient.NewTraceId(), ct);

        var naiveTrace = OrdersClient.NewTraceId();
        using var naive = await orders.GetAsync($"/api/orders/{order.Id}", "naive", "n-plus-one-db", naiveTrace, ct);
        var optimizedTrace = OrdersClient.NewTraceId();
        using var optimized = await orders.GetAsync($"/api/orders/{order.Id}", "naive, n-plus-one-db=optimized", "n-plus-one-db", optimizedTrace, ct);
        var naiveQueries = OrdersClient.DbRoundtrips(naive);
        var optimizedQueries = OrdersClient.DbRoundtrips(optimized);

        var optimizedScreenshot = "";
        await using var page = await DashboardPage.OpenAsync(dashboard);
        await page.RunAsync(nameof(TheNaiveOrderReadShowsOneDatabaseSpanPerProductAndTheOptimizedOneAHandful), async () =>
        {
            await page.GoToTracesAsync();
            var naiveRow = page.TraceRow(naiveTrace);
            var optimizedRow = page.TraceRow(optimizedTrace);

            // Both reads are listed under their route template, each with its database spans counted
            // in the Spans column: exactly the round trips the service counted for that request.
            await Expect(naiveRow).ToContainTextAsync("GET /api/orders/{orderId}");
            await Expect(optimizedRow).ToContainTextAsync("GET /api/orders/{orderId}");
            await Expect(naiveRow).ToContainTextAsync($"{Database} ({naiveQueries})");
            await Expect(optimizedRow).ToContainTextAsync($"{Database} ({optimizedQueries})");
            await page.ScreenshotAsync("02-traces-naive-and-optimized");

            await page.OpenTraceAsync(naiveRow);
            await Expect(page.SpanRows(new Regex($"Outgoing call to {Database}")).First).ToBeVisibleAsync();
            Assert.True(await page.TraceDetailFigureAsync("Total spans") > naiveQueries,
                "The naive trace holds the request's span and one span per database query.");
            await page.ScreenshotAsync("03-trace-naive");

            await page.GoToTracesAsync();
            await page.OpenTraceAsync(optimizedRow);
            await Expect(page.SpanRows(new Regex($"Outgoing call to {Database}")).First).ToBeVisibleAsync();
            optimizedScreenshot = await page.ScreenshotAsync("04-trace-optimized");
        });

        Assert.Equal(OrderLines, products.Count);
        // The naive read asks for each product on its own: one query per distinct product, plus the order, its lines, its payment.
        Assert.True(naiveQueries >= products.Count,
            $"The naive read of a {products.Count}-line order made {naiveQueries} database queries; the N+1 makes at least one per product.");
        // The contract of the n-plus-one-db fix: a handful of queries, whatever the number of lines.
        Assert.True(optimizedQueries <= OptimizedMaxDatabaseSpans,
            $"The optimized read of a {products.Count}-line order made {optimizedQueries} database queries (spans); the fix promises at most {OptimizedMaxDatabaseSpans}. Its trace: {optimizedScreenshot}");
    }

    /// <summary>
    /// After a burst of checkouts as a drill sends them (naive and optimized alternately, each its own key), the newest
    /// traces are the requests: the loops that work behind them — the payment worker settling the deferred payments, the
    /// reconciler, the warm-up — add at most one trace for each round, never one per payment or authorisation, so they
    /// cannot crowd the requests off the Traces page. (A sweep of the reconciler that finds nothing asks the provider once,
    /// since it asks only for what is new; that call may show as the sweep's one trace.)
    /// </summary>
    [Fact]
    public async Task AfterABurstOfDrillLoadTheNewestTracesAreTheRequestsNotTheBackgroundLoops()
    {
        var ct = TestContext.Current.CancellationToken;
        const int Burst = 24;
        var checkouts = await Task.WhenAll(Enumerable.Range(0, Burst).Select(i =>
            dashboard.OrdersApi.CheckoutAsync(60 + i, [(1 + i % 40, 1), (41 + i % 9, 1)], i % 2 == 0 ? "naive" : "optimized", "payment-deferred", ct)));
        Assert.All(checkouts, response => Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}"));
        foreach (var response in checkouts)
        {
            response.Dispose();
        }

        // Two rounds of the reconciler (every 10 s) and some forty polls of the payment worker, which settles the deferred half.
        await Task.Delay(TimeSpan.FromSeconds(25), ct);

        await using var page = await DashboardPage.OpenAsync(dashboard);
        await page.RunAsync(nameof(AfterABurstOfDrillLoadTheNewestTracesAreTheRequestsNotTheBackgroundLoops), async () =>
        {
            await page.Page.SetViewportSizeAsync(1280, 2400); // the newest fifty or so rows at once: the grid draws what fits
            await page.GoToTracesAsync();
            await Expect(page.TraceRows(new Regex("POST /api/orders")).First).ToBeVisibleAsync();

            var rows = await page.TraceRows(new Regex(".")).AllInnerTextsAsync();
            var newest = rows.Take(Burst + 12).ToArray();
            var requests = newest.Count(row => row.Contains("POST /api/orders", StringComparison.Ordinal));
            var background = newest.Where(row => BackgroundTrace().IsMatch(row)).ToArray();
            var perItem = rows.Where(row => PerItemTrace().IsMatch(row)).ToArray();
            var listing = string.Join(" | ", newest.Select(row => row.ReplaceLineEndings(" ")));

            Assert.True(perItem.Length == 0, $"Background roots per item (a payment, an authorisation): {string.Join(" | ", perItem)}");
            Assert.True(requests >= Burst, $"{requests} of the burst's {Burst} checkouts among the newest traces: {listing}");
            Assert.True(background.Length * 2 <= requests, $"{background.Length} background traces beside {requests} requests: {listing}");
        });
    }

    /// <summary>A background loop's round, as a trace of its own.</summary>
    [GeneratedRegex(@"Settle due payments|Release orphaned authorisations|Look for orphaned authorisations|Warm up caches|ListPayments")]
    private static partial Regex BackgroundTrace();

    /// <summary>What a loop must never make a trace of its own: one payment, one authorisation.</summary>
    [GeneratedRegex(@"Settle payment\b|Release orphaned authorisation\b")]
    private static partial Regex PerItemTrace();

    [Fact]
    public async Task ACheckoutTraceCrossesOrdersASiloPaymentsPostgresAndRedis()
    {
        var ct = TestContext.Current.CancellationToken;
        var traceId = OrdersClient.NewTraceId();
        await dashboard.OrdersApi.PlaceOrderAsync(12, [(1, 1), (2, 2), (3, 1)], traceId, ct);

        await using var page = await DashboardPage.OpenAsync(dashboard);
        await page.RunAsync(nameof(ACheckoutTraceCrossesOrdersASiloPaymentsPostgresAndRedis), async () =>
        {
            await page.GoToTracesAsync();
            var row = page.TraceRow(traceId);
            await Expect(row).ToContainTextAsync("POST /api/orders");
            await page.OpenTraceAsync(row);

            // Each part of the topology appears as a resource (its spans) or as a called peer.
            await Expect(page.SpanRows(new Regex(@"^orders: POST /api/orders"))).ToHaveCountAsync(1);
            await Expect(page.SpanRows(new Regex(@"^silo-\w+: ")).First).ToBeVisibleAsync();
            await Expect(page.SpanRows(new Regex(@"^payments: ")).First).ToBeAttachedAsync();
            await Expect(page.SpanRows(new Regex(@"Outgoing call to ordersdb")).First).ToBeAttachedAsync();
            await Expect(page.SpanRows(new Regex(@"Outgoing call to cache")).First).ToBeAttachedAsync();
            await page.ScreenshotAsync("05-checkout-trace");
        });
    }

    [Fact]
    public async Task SpansAreNamedByGrainAndGrpcMethodAndDatabaseSpansShowTheirSql()
    {
        var ct = TestContext.Current.CancellationToken;
        var traceId = OrdersClient.NewTraceId();
        await dashboard.OrdersApi.PlaceOrderAsync(13, [(4, 1), (5, 1)], traceId, ct);

        await using var page = await DashboardPage.OpenAsync(dashboard);
        await page.RunAsync(nameof(SpansAreNamedByGrainAndGrpcMethodAndDatabaseSpansShowTheirSql), async () =>
        {
            await page.GoToTracesAsync();
            var row = page.TraceRow(traceId);
            await page.OpenTraceAsync(row);

            // Grain calls by interface and method, on the caller and on the silo that ran them.
            await Expect(page.SpanRows(new Regex(@"^orders: ICustomerGrain/GetProfileAsync"))).ToHaveCountAsync(1);
            await Expect(page.SpanRows(new Regex(@"^silo-\w+: ICustomerGrain/GetProfileAsync"))).ToHaveCountAsync(1);
            // gRPC calls by service and method.
            await Expect(page.SpanRows(new Regex(@"^orders: \S*PaymentProvider/Authorize"))).ToHaveCountAsync(1);
            await Expect(page.SpanRows(new Regex(@"^orders: \S*PaymentProvider/Capture"))).ToHaveCountAsync(1);

            // A database span's details hold the SQL it ran.
            await page.SpanRows(new Regex("Outgoing call to ordersdb")).First.ClickAsync();
            var details = page.Page.GetByText(new Regex(@"^db\.(query\.text|statement)$"));
            await Expect(details.First).ToBeVisibleAsync();
            await Expect(page.Page.GetByText(new Regex(@"^\s*(SELECT|INSERT|UPDATE)\b")).First).ToBeVisibleAsync();
            await page.ScreenshotAsync("06-span-sql");
        });
    }
}
