using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PerfReference.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PerfReference.BrowserTests.Walkthrough;

/// <summary>The first thing a user sees after logging in: every resource of the topology, up.</summary>
[Collection(DashboardCollection.Name)]
public sealed partial class ResourcesTests(DashboardFixture dashboard)
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

    /// <summary>
    /// Right after start the Traces page lists the work that happened, not the machinery: no trace of
    /// a health probe or of the checks it runs (a Redis PING, a PostgreSQL SELECT 1), though the
    /// AppHost has probed every service every few seconds since it started; the startup warm-up as
    /// one trace, not one per grain it activated.
    /// </summary>
    [Fact]
    public async Task RightAfterStartTheTracesPageListsWorkNotHealthChecks()
    {
        await using var page = await DashboardPage.OpenAsync(dashboard);
        await page.RunAsync(nameof(RightAfterStartTheTracesPageListsWorkNotHealthChecks), async () =>
        {
            await page.GoToTracesAsync();
            await Expect(page.TraceRows(new Regex("Warm up caches"))).ToHaveCountAsync(1);
            await Expect(page.TraceRows(new Regex("Migrate orders database"))).ToHaveCountAsync(1);

            var names = await page.TraceRows(new Regex(".")).AllInnerTextsAsync();
            Assert.DoesNotContain(names, name => HealthCheckTrace().IsMatch(name));
            Assert.DoesNotContain(names, name => name.Contains("ICustomerGrain/GetProfileAsync", StringComparison.Ordinal));
            await page.ScreenshotAsync("01b-traces-after-start");
        });
    }

    /// <summary>
    /// A clean start is clean: once every resource is up and their logs have had time to reach the dashboard, no
    /// resource on the Resources page carries the red badge of unread error logs (a silo that failed to ping the previous
    /// run's silos, a client that could not publish its routing table, a dependency not yet up).
    /// </summary>
    [Fact]
    public async Task OnACleanStartNoResourceShowsAnErrorBadge()
    {
        // Logs reach the dashboard in batches, a few seconds apart: what the start logged has arrived by then.
        var settled = dashboard.UpSinceUtc + TimeSpan.FromSeconds(30) - DateTime.UtcNow;
        if (settled > TimeSpan.Zero)
        {
            await Task.Delay(settled, TestContext.Current.CancellationToken);
        }

        await using var page = await DashboardPage.OpenAsync(dashboard);
        await page.RunAsync(nameof(OnACleanStartNoResourceShowsAnErrorBadge), async () =>
        {
            await page.GoToResourcesAsync();
            await Expect(page.ResourceRow("orders")).ToContainTextAsync("Running");

            var badged = page.Page.GetByRole(AriaRole.Row).Filter(new() { Has = page.Page.GetByTitle(ErrorBadge()) });
            var rows = await badged.AllInnerTextsAsync();
            if (rows.Count > 0)
            {
                // What they logged, for the failure's message: the structured logs at error level.
                await page.GoToAsync("/structuredlogs?logLevel=error");
                var errors = await page.Page.GetByRole(AriaRole.Row).AllInnerTextsAsync();
                Assert.Fail($"Resources with unread error logs right after a clean start: {string.Join(" | ", rows.Select(r => r.ReplaceLineEndings(" ")))}. " +
                            $"The error logs: {string.Join(" | ", errors.Skip(1).Take(10).Select(r => r.ReplaceLineEndings(" ")))}");
            }
        });
    }

    /// <summary>The title of the badge the dashboard puts on a resource with unread error logs ("3 error logs").</summary>
    [GeneratedRegex(@"^\d+ error logs?$")]
    private static partial Regex ErrorBadge();

    /// <summary>What a health probe's trace is named: the probe's request, or a check's command as a root of its own.</summary>
    [GeneratedRegex(@"GET /health|GET /alive|: PING\b|: postgresql\b|: SELECT\b", RegexOptions.IgnoreCase)]
    private static partial Regex HealthCheckTrace();
}
