using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PerfReference.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PerfReference.BrowserTests.Walkthrough;

/// <summary>
/// The load lab from the dashboard: a scenario started from the loadlab resource's Actions menu, and
/// the lab's own latency metric split by variant. The fixture shortens the commands to seconds; the
/// test deletes the result file the run writes into the repository's results/ folder.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class LabCommandTests(DashboardFixture dashboard)
{
    private const string Scenario = "n-plus-one-db";
    private const string LabMeter = "PerfReference.LoadLab";
    private const string DurationInstrument = "lab.request.duration";

    [Fact]
    public async Task ALabScenarioRunFromItsDashboardCommandShowsItsLatencyByVariant()
    {
        var ct = TestContext.Current.CancellationToken;
        using var lab = await dashboard.Run.LabClientAsync(ct);

        await using var page = await DashboardPage.OpenAsync(dashboard);
        await page.RunAsync(nameof(ALabScenarioRunFromItsDashboardCommandShowsItsLatencyByVariant), async () =>
        {
            var clicked = DateTimeOffset.UtcNow;
            await page.RunResourceCommandAsync("loadlab", DashboardFixture.LabCommandName(Scenario), screenshot: "10-lab-command");
            if (!await LabRuns.StartsWithinAsync(lab, clicked, TimeSpan.FromSeconds(20), ct))
            {
                // On a loaded machine the dashboard can redraw the menu under the pointer (the lab's snapshot
                // changes) and the click lands on nothing; a user would click again, and so does the test.
                TestContext.Current.SendDiagnosticMessage($"The first click started no run; the dashboard showed: {await page.NotificationsTextAsync()}");
                clicked = DateTimeOffset.UtcNow;
                await page.RunResourceCommandAsync("loadlab", DashboardFixture.LabCommandName(Scenario));
            }

            // The click started a run of the scenario, which ran both variants without an error.
            var finished = await LabRuns.WaitUntilIdleAsync(lab, ct, startedAfter: clicked);
            IReadOnlyDictionary<string, string> opened;
            TakenRun taken;
            try
            {
                opened = await FollowTheRecordToTheRunsTracesAsync(page);
            }
            finally
            {
                taken = await LabRuns.TakeRunAsync(finished, ct); // the run's files leave the repository even when a step fails
            }

            var (result, traces) = taken;
            Assert.Equal(Scenario, result.GetProperty("scenario").GetString());
            var variants = result.GetProperty("variants").EnumerateArray().ToArray();
            Assert.Equal(["naive", "optimized"], variants.Select(v => v.GetProperty("label").GetString()));
            Assert.All(variants, v => Assert.True(v.GetProperty("count").GetInt64() > 0 && v.GetProperty("errors").GetInt64() == 0, $"{v}"));
            await AssertTracesKeptAsync(traces, ct);
            // The record's links opened the traces this run kept at each variant's p50, not those of the committed log.
            Assert.Equal(opened["naive"], P50TraceId(traces!, "naive"));
            Assert.Equal(opened["optimized"], P50TraceId(traces!, "optimized"));

            // Metrics → loadlab → PerfReference.LoadLab → lab.request.duration, split by variant and scenario.
            await page.OpenMetricAsync("loadlab", LabMeter, DurationInstrument);
            await Expect(page.Page.GetByRole(AriaRole.Heading, new() { Name = DurationInstrument })).ToBeVisibleAsync();
            var variantFilter = page.MetricFilter("perf.variant");
            await Expect(variantFilter.GetByRole(AriaRole.Button, new() { Name = "naive", Exact = true })).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await Expect(variantFilter.GetByRole(AriaRole.Button, new() { Name = "optimized", Exact = true })).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await Expect(page.MetricFilter("lab.scenario").GetByRole(AriaRole.Button, new() { Name = Scenario, Exact = true })).ToBeVisibleAsync();
            await page.ExpectHistogramChartDrawnAsync();
            await variantFilter.ScrollIntoViewIfNeededAsync();
            await page.ScreenshotAsync("11-lab-metric-by-variant");
        });
    }

    /// <summary>
    /// The record, opened from the loadlab resource, leads from the entry's page to the run's naive and optimized traces in the
    /// dashboard: the page's "In this dashboard" table links the pair this run just kept, and each link opens that trace's
    /// detail. Returns the trace id each variant's p50 link opened.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> FollowTheRecordToTheRunsTracesAsync(DashboardPage page)
    {
        await page.GoToResourcesAsync();
        var link = page.ResourceRow("loadlab").GetByRole(AriaRole.Link, new() { Name = "Optimization record" });
        await using var recordTab = new DashboardPage(await page.Page.Context.RunAndWaitForPageAsync(() => link.ClickAsync()), dashboard);
        var record = recordTab.Page;
        await record.GetByRole(AriaRole.Link, new() { Name = Scenario, Exact = true }).ClickAsync();
        var entryPage = record.Url;
        await Expect(record.GetByRole(AriaRole.Heading, new() { Name = "In this dashboard" })).ToBeVisibleAsync();
        var held = record.Locator("#in-this-dashboard ~ table").First;

        var opened = new Dictionary<string, string>();
        foreach (var variant in new[] { "naive", "optimized" })
        {
            await record.GotoAsync(entryPage);
            var trace = held.GetByRole(AriaRole.Row).Filter(new() { HasTextRegex = new Regex($"^\\s*{variant}\\s+p50") }).GetByRole(AriaRole.Link);
            opened[variant] = await trace.InnerTextAsync();
            await trace.ClickAsync();
            await Expect(record.GetByText("Trace detail")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            Assert.EndsWith($"/traces/detail/{opened[variant]}", record.Url, StringComparison.Ordinal);
            await Expect(recordTab.SpanRows(new Regex("^orders: GET")).First).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await recordTab.ScreenshotAsync($"11c-record-to-{variant}-trace");
        }

        return opened;
    }

    private static string? P50TraceId(string traces, string variant)
    {
        using var kept = JsonDocument.Parse(traces);
        return kept.RootElement.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("label").GetString() == variant)
            .GetProperty("traces").EnumerateArray().Single(t => t.GetProperty("percentile").GetString() == "p50").GetProperty("traceId").GetString();
    }

    /// <summary>
    /// The run kept, from the dashboard's telemetry API, the trace nearest each variant's p50 and P99 beside its result:
    /// the service's spans and the database's among them, and nothing secret (the stored file is read like every log).
    /// </summary>
    private async Task AssertTracesKeptAsync(string? traces, CancellationToken ct)
    {
        Assert.NotNull(traces);
        using var kept = JsonDocument.Parse(traces);
        var variants = kept.RootElement.GetProperty("variants").EnumerateArray().ToArray();
        Assert.Equal(["naive", "optimized"], variants.Select(v => v.GetProperty("label").GetString()));
        foreach (var variant in variants)
        {
            var pair = variant.GetProperty("traces").EnumerateArray().ToArray();
            Assert.Equal(["p50", "p99"], pair.Select(t => t.GetProperty("percentile").GetString()));
            Assert.All(pair, trace => Assert.Contains(trace.GetProperty("spans").EnumerateArray(), span =>
                span.GetProperty("service").GetString() == "orders" && span.GetProperty("tags").TryGetProperty("db.system.name", out _)));
        }

        var secrets = new Dictionary<string, string>(await dashboard.SecretsAsync(ct)) { ["the dashboard's API key"] = dashboard.DashboardApiKey };
        foreach (var (what, value) in secrets)
        {
            Assert.False(traces.Contains(value, StringComparison.Ordinal), $"The kept traces hold {what}.");
        }
    }
}
