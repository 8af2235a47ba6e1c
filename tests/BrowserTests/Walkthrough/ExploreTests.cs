using Microsoft.Playwright;
using PerfReference.BrowserTests.Infrastructure;

namespace PerfReference.BrowserTests.Walkthrough;

[Collection(DashboardCollection.Name)]
public sealed class ExploreTests(DashboardFixture dashboard)
{
    [Fact]
    public async Task Explore()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = "/tmp/explore";
        Directory.CreateDirectory(dir);
        var page = await dashboard.Browser.NewPageAsync();
        await page.GotoAsync($"/login?t={dashboard.BrowserToken}");
        await page.WaitForTimeoutAsync(3000);
        await page.ScreenshotAsync(new() { Path = $"{dir}/login1.png" });
        if (await page.GetByPlaceholder("Enter token to log in...").CountAsync() > 0)
        {
            await page.GetByRole(AriaRole.Textbox).FillAsync(dashboard.BrowserToken);
            await page.GetByText("Log in", new() { Exact = true }).ClickAsync();
            await page.WaitForTimeoutAsync(5000);
        }
        await page.ScreenshotAsync(new() { Path = $"{dir}/resources.png" });
        await File.WriteAllTextAsync($"{dir}/resources.aria", await page.Locator("body").AriaSnapshotAsync(), ct);
        await File.WriteAllTextAsync($"{dir}/resources.html", await page.ContentAsync(), ct);

        var products = await dashboard.Orders.GetStringAsync("/api/products?pageSize=3", ct);
        var placed = await dashboard.Orders.SendAsync(PerfReference.IntegrationTests.Infrastructure.Checkouts.Request(5, [(1, 1), (2, 1), (3, 2)]), ct);
        var body = await placed.Content.ReadAsStringAsync(ct);
        await File.WriteAllTextAsync($"{dir}/api.txt", products + "\n" + placed.StatusCode + body, ct);
        await page.WaitForTimeoutAsync(8000);

        foreach (var (name, url) in new[] { ("traces", "/traces"), ("metrics", "/metrics/resource/orders"), ("console", "/consolelogs/resource/postgres"), ("structured", "/structuredlogs") })
        {
            await page.GotoAsync(url);
            await page.WaitForTimeoutAsync(4000);
            await page.ScreenshotAsync(new() { Path = $"{dir}/{name}.png" });
            await File.WriteAllTextAsync($"{dir}/{name}.aria", await page.Locator("body").AriaSnapshotAsync(), ct);
            await File.WriteAllTextAsync($"{dir}/{name}.html", await page.ContentAsync(), ct);
        }

        // first trace
        await page.GotoAsync("/traces");
        await page.WaitForTimeoutAsync(2000);
        var link = page.GetByText("POST").First;
        await File.WriteAllTextAsync($"{dir}/links.txt", string.Join("\n", await page.Locator("a").EvaluateAllAsync<string[]>("els => els.map(e => e.href + ' | ' + e.innerText)")), ct);
        try
        {
            await link.ClickAsync(new() { Timeout = 5000 });
            await page.WaitForTimeoutAsync(4000);
            await page.ScreenshotAsync(new() { Path = $"{dir}/trace.png" });
            await File.WriteAllTextAsync($"{dir}/trace.aria", await page.Locator("body").AriaSnapshotAsync(), ct);
            await File.WriteAllTextAsync($"{dir}/trace.html", await page.ContentAsync(), ct);
        }
        catch (Exception e)
        {
            await File.WriteAllTextAsync($"{dir}/trace.err", e.ToString(), ct);
        }
    }
}
