using Microsoft.Playwright;
using PerfReference.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PerfReference.BrowserTests.Walkthrough;

/// <summary>
/// The record inside the dashboard: the loadlab resource lists each entry's headline — by its own proving metric — in its
/// details, and links to the lab's record page: an index of those headlines that fits a screen, each entry linked to its
/// page (the generated docs/entries/&lt;id&gt;.md with its charts). The figures come from the result files committed in results/.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class RecordTests(DashboardFixture dashboard)
{
    [Fact]
    public async Task TheOptimizationRecordOpensFromTheLabsLinkOnTheResourcesPageAndLeadsToEachEntrysPage()
    {
        var ct = TestContext.Current.CancellationToken;
        var lab = await dashboard.Run.App.ResourceNotifications.WaitForResourceAsync("loadlab",
            e => e.Snapshot.Properties.Any(p => p.Name.StartsWith("headline: ", StringComparison.Ordinal)), ct);
        Assert.Contains(lab.Snapshot.Properties, p => p.Name == "headline: n-plus-one-db" && p.Value is string text && text.StartsWith("P99 ", StringComparison.Ordinal) && text.Contains('×'));
        // An entry proven under load is quoted by that load's figure, not a latency ratio.
        Assert.Contains(lab.Snapshot.Properties, p => p.Name == "headline: threadpool-starvation" && p.Value is string text && text.StartsWith("capacity", StringComparison.Ordinal));

        await using var page = await DashboardPage.OpenAsync(dashboard);
        await page.RunAsync(nameof(TheOptimizationRecordOpensFromTheLabsLinkOnTheResourcesPageAndLeadsToEachEntrysPage), async () =>
        {
            await page.GoToResourcesAsync();
            var link = page.ResourceRow("loadlab").GetByRole(AriaRole.Link, new() { Name = "Optimization record" });
            await using var recordTab = new DashboardPage(await page.Page.Context.RunAndWaitForPageAsync(() => link.ClickAsync()), dashboard);
            var record = recordTab.Page;
            await Expect(record.GetByRole(AriaRole.Heading, new() { Name = "Optimization record" })).ToBeVisibleAsync();
            await Expect(record.GetByRole(AriaRole.Row).Filter(new() { HasText = "n-plus-one-db" }).First).ToBeVisibleAsync();

            // The index fits a screen: the whole record was once one page of a hundred thousand pixels.
            var (height, window) = (await record.EvaluateAsync<int>("() => document.documentElement.scrollHeight"), await record.EvaluateAsync<int>("() => window.innerHeight"));
            Assert.True(height <= window, $"the record's index is {height} px tall in a window of {window} px");
            await recordTab.ScreenshotAsync("11b-optimization-record");

            // An entry's page, with its charts loaded from the lab (docs/charts/), not only their alt text.
            await record.GetByRole(AriaRole.Link, new() { Name = "n-plus-one-db", Exact = true }).ClickAsync();
            await Expect(record.GetByRole(AriaRole.Heading, new() { Name = "N+1 database queries" }).First).ToBeVisibleAsync();
            await Expect(record.GetByRole(AriaRole.Heading, new() { Name = "Measured against the bound" })).ToBeVisibleAsync();
            await Expect(record.Locator("img[src^='../charts/']").First).ToBeAttachedAsync();
            await record.WaitForFunctionAsync("() => [...document.querySelectorAll(\"img[src^='../charts/']\")].every(img => img.complete && img.naturalWidth > 0)");
        });
    }
}
