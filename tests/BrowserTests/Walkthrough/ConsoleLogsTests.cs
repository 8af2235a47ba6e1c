using PerfReference.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PerfReference.BrowserTests.Walkthrough;

/// <summary>Console logs: a resource's own output, here PostgreSQL's server log.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ConsoleLogsTests(DashboardFixture dashboard)
{
    [Fact]
    public async Task PostgresConsoleLogsShowTheServersOwnLog()
    {
        await using var page = await DashboardPage.OpenAsync(dashboard);
        await page.RunAsync(nameof(PostgresConsoleLogsShowTheServersOwnLog), async () =>
        {
            // From the postgres row's Actions menu, as a user finds it.
            await page.RunResourceCommandAsync("postgres", "Console logs");

            await Expect(page.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/consolelogs/resource/postgres"));
            await Expect(page.Page.GetByText("database system is ready to accept connections").First).ToBeVisibleAsync();
            await page.ScreenshotAsync("09-postgres-console");
        });
    }
}
