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
            var result = await LabRuns.TakeResultAsync(await LabRuns.WaitUntilIdleAsync(lab, ct, startedAfter: clicked), ct);
            Assert.Equal(Scenario, result.GetProperty("scenario").GetString());
            var variants = result.GetProperty("variants").EnumerateArray().ToArray();
            Assert.Equal(["naive", "optimized"], variants.Select(v => v.GetProperty("label").GetString()));
            Assert.All(variants, v => Assert.True(v.GetProperty("count").GetInt64() > 0 && v.GetProperty("errors").GetInt64() == 0, $"{v}"));

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
}
