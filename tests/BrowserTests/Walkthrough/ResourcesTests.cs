using System.Text.RegularExpressions;
using PerfReference.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PerfReference.BrowserTests.Walkthrough;

/// <summary>The first thing a user sees after logging in: every resource of the topology, up.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ResourcesTests(DashboardFixture dashboard)
{
    [Fact]
    public async Task AfterLoggingInTheResourcesPageListsEveryResourceRunning()
    {
        await using var page = await DashboardPage.OpenAsync(dashboard);
        await page.RunAsync(nameof(AfterLoggingInTheResourcesPageListsEveryResourceRunning), async () =>
        {
            await page.GoToResourcesAsync();

            foreach (var name in new[] { "postgres", "ordersdb", "cache", "payments", "orders" })
            {
                await Expect(page.ResourceRow(name)).ToContainTextAsync("Running");
            }

            // The silo runs as two replicas, listed as silo-<suffix> each.
            var silos = page.ResourceRow(new Regex(@"silo-\w+"));
            await Expect(silos).ToHaveCountAsync(2);
            await Expect(silos.Nth(0)).ToContainTextAsync("Running");
            await Expect(silos.Nth(1)).ToContainTextAsync("Running");

            // The migrations run once before anything reads the database, and end.
            await Expect(page.ResourceRow("migrations")).ToContainTextAsync("Finished");

            await page.ScreenshotAsync("01-resources");
        });
    }
}
