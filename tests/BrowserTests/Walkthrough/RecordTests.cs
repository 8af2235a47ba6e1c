using Microsoft.Playwright;
using PerfReference.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PerfReference.BrowserTests.Walkthrough;

/// <summary>
/// The record inside the dashboard: the loadlab resource lists each scenario's newest naive ÷
/// optimized ratio in its details and links to the lab's record page — the optimization log with its
/// charts, under the newest runs — which opens from the Resources page. The figures come from the
/// result files committed in results/.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class RecordTests(DashboardFixture dashboard)
{
    [Fact]
    public async Task TheOptimizationRecordOpensFromTheLabsLinkOnTheResourcesPage()
    {
        var ct = TestContext.Current.CancellationToken;
        var lab = await dashboard.Run.App.ResourceNotifications.WaitForResourceAsync("loadlab",
            e => e.Snapshot.Properties.Any(p => p.Name.StartsWith("p99 ratio: ", StringComparison.Ordinal)), ct);
        Assert.Contains(lab.Snapshot.Properties, p => p.Name == "p99 ratio: n-plus-one-db" && p.Value is string text && text.Contains('×'));

        await using var page = await DashboardPage.OpenAsync(dashboard);
        await page.RunAsync(nameof(TheOptimizationRecordOpensFromTheLabsLinkOnTheResourcesPage), async () =>
        {
            await page.GoToResourcesAsync();
            var link = page.ResourceRow("loadlab").GetByRole(AriaRole.Link, new() { Name = "Optimization record" });
            await using var recordTab = new DashboardPage(await page.Page.Context.RunAndWaitForPageAsync(() => link.ClickAsync()), dashboard);
            var record = recordTab.Page;
            await Expect(record.GetByRole(AriaRole.Heading, new() { Name = "Optimization record" })).ToBeVisibleAsync();
            await Expect(record.GetByRole(AriaRole.Heading, new() { Name = "Optimization log" })).ToBeVisibleAsync();
            await Expect(record.GetByRole(AriaRole.Row).Filter(new() { HasText = "n-plus-one-db" }).First).ToBeVisibleAsync();

            // The charts load from the lab too (docs/charts/), not only their alt text.
            await Expect(record.Locator("img[src^='charts/']").First).ToBeAttachedAsync();
            await record.WaitForFunctionAsync("() => [...document.querySelectorAll(\"img[src^='charts/']\")].every(img => img.complete && img.naturalWidth > 0)");
            await recordTab.ScreenshotAsync("11b-optimization-record");
        });
    }
}
