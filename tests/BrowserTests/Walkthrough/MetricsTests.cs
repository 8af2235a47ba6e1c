using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PerfReference.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PerfReference.BrowserTests.Walkthrough;

/// <summary>The Metrics page: the per-request measurements split by variant, and Orleans' own meters.</summary>
[Collection(DashboardCollection.Name)]
public sealed class MetricsTests(DashboardFixture dashboard)
{
    private const string PerfMeter = "PerfReference.Performance";
    private const string DurationInstrument = "perf.request.duration";

    [Fact]
    public async Task TheRequestDurationMetricIsSplitByVariant()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var variant in new[] { "naive", "optimized" })
        {
            using var _ = await dashboard.OrdersApi.GetAsync("/api/products?pageSize=5", variant, "n-plus-one-db", OrdersClient.NewTraceId(), ct);
        }

        await using var page = await DashboardPage.OpenAsync(dashboard);
        await page.RunAsync(nameof(TheRequestDurationMetricIsSplitByVariant), async () =>
        {
            await page.OpenMetricAsync("orders", PerfMeter, DurationInstrument);
            await Expect(page.Page.GetByRole(AriaRole.Heading, new() { Name = DurationInstrument })).ToBeVisibleAsync();

            // The chart's filters list the perf.variant dimension with both values seen.
            var variants = page.MetricFilter("perf.variant");
            await Expect(variants.GetByRole(AriaRole.Button, new() { Name = "naive", Exact = true })).ToBeVisibleAsync();
            await Expect(variants.GetByRole(AriaRole.Button, new() { Name = "optimized", Exact = true })).ToBeVisibleAsync();
            await Expect(page.MetricFilter("perf.entry").GetByRole(AriaRole.Button, new() { Name = "n-plus-one-db" })).ToBeVisibleAsync();
            await page.ExpectHistogramChartDrawnAsync();
            await variants.ScrollIntoViewIfNeededAsync();
            await page.ScreenshotAsync("07-metric-by-variant");
        });
    }

    [Fact]
    public async Task TheSiloThatRanAGrainShowsItInOrleansGrainCounts()
    {
        var ct = TestContext.Current.CancellationToken;
        var traceId = OrdersClient.NewTraceId();
        await dashboard.OrdersApi.PlaceOrderAsync(14, [(6, 1)], traceId, ct);

        await using var page = await DashboardPage.OpenAsync(dashboard);
        await page.RunAsync(nameof(TheSiloThatRanAGrainShowsItInOrleansGrainCounts), async () =>
        {
            // The checkout's trace names the silo that ran the customer grain...
            await page.GoToTracesAsync();
            await page.OpenTraceAsync(page.TraceRow(traceId));
            var grainCall = page.SpanRows(new Regex(@"^silo-\w+: ICustomerGrain/")).First;
            await Expect(grainCall).ToBeVisibleAsync();
            var silo = (await grainCall.GetByRole(AriaRole.Gridcell).Nth(1).InnerTextAsync()).Trim(); // the Resource column

            // ...and that silo's Orleans meter counts the grain among its activations, by grain type.
            await page.OpenMetricAsync(silo, "Microsoft.Orleans", "orleans-grains");
            await Expect(page.Page.GetByRole(AriaRole.Heading, new() { Name = "orleans-grains" })).ToBeVisibleAsync();
            await Expect(page.Page.GetByText("orleans-catalog-activations", new() { Exact = true })).ToBeAttachedAsync();
            await Expect(page.MetricFilter("grain_type").GetByRole(AriaRole.Button, new() { Name = "customer", Exact = true })).ToBeVisibleAsync();
            await page.ScreenshotAsync("08-orleans-grains");
        });
    }
}
