using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PerfReference.BrowserTests.Infrastructure;

/// <summary>
/// One browser tab on the dashboard, with the moves a user makes there: open a page, find a trace,
/// open a metric, run a resource's command, take a screenshot. Locators go by role and visible text,
/// as a user reads the page, rather than by the dashboard's CSS.
/// </summary>
public sealed partial class DashboardPage(IPage page, DashboardFixture dashboard) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    public static async Task<DashboardPage> OpenAsync(DashboardFixture dashboard)
    {
        var page = new DashboardPage(await dashboard.Browser.NewPageAsync(), dashboard);
        await page.GoToAsync("/");
        return page;
    }

    /// <summary>
    /// Runs one test's steps in this tab. When a step fails, the failure names a screenshot and an
    /// accessibility snapshot of what the page showed at that moment.
    /// </summary>
    public async Task RunAsync(string testName, Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch (Exception failure)
        {
            var screenshot = Screenshots.PathFor($"FAILED-{testName}");
            var snapshot = Path.ChangeExtension(screenshot, ".aria.yml");
            try
            {
                await Page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
                await File.WriteAllTextAsync(snapshot, $"{Page.Url}\n{await Page.Locator("body").AriaSnapshotAsync()}");
            }
            catch (PlaywrightException)
            {
                // The page itself is gone; the original failure still says what went wrong.
            }

            throw new Xunit.Sdk.XunitException(
                $"{failure.Message}\nThe page at {Page.Url} when it failed: {screenshot} (accessibility snapshot: {snapshot})", failure);
        }
    }

    /// <summary>Opens a dashboard address, logging in with the browser token when the dashboard asks for it.</summary>
    public async Task GoToAsync(string path)
    {
        await Page.GotoAsync(path);
        // Until this browser has logged in, every address leads to /login, whose only field is the token.
        var token = Page.GetByRole(AriaRole.Textbox);
        var app = Page.GetByRole(AriaRole.Navigation);
        await Expect(token.Or(app).First).ToBeVisibleAsync();
        if (new Uri(Page.Url).AbsolutePath == "/login")
        {
            // The login URL the AppHost prints (/login?t=<token>), as a user clicks it: the dashboard checks
            // the token before its page renders. (Typing into the form could race the page becoming
            // interactive: a token filled too early was lost and the form answered "Token is required".)
            await Page.GotoAsync($"/login?t={Uri.EscapeDataString(dashboard.BrowserToken)}");
            await Expect(app).ToBeVisibleAsync();
            await Page.GotoAsync(path);
        }

        await DismissCertificateWarningAsync();
    }

    /// <summary>
    /// Tests run the dashboard over plain http on loopback, where it warns that no development
    /// certificate is trusted; the warning is true and irrelevant, and would sit on every screenshot.
    /// </summary>
    private async Task DismissCertificateWarningAsync()
    {
        var dismiss = Page.GetByLabel("Dismiss notification");
        if (await dismiss.CountAsync() > 0)
        {
            await dismiss.First.ClickAsync();
        }
    }

    public Task GoToResourcesAsync() => GoToAsync("/");

    /// <summary>The text of the notifications the dashboard shows (a command's failure, for one), for a failure message.</summary>
    public async Task<string> NotificationsTextAsync() =>
        string.Join(" | ", await Page.GetByRole(AriaRole.Status).Or(Page.GetByRole(AriaRole.Alert)).AllInnerTextsAsync());

    /// <summary>The Resources page's row of one resource (its first cell is named "&lt;type&gt;: &lt;name&gt;").</summary>
    public ILocator ResourceRow(string resourceName) => ResourceRow(new Regex(Regex.Escape(resourceName)));

    /// <summary>The Resources page's rows of the resources whose whole name matches.</summary>
    public ILocator ResourceRow(Regex resourceName) => Page.GetByRole(AriaRole.Row).Filter(new()
    {
        Has = Page.GetByRole(AriaRole.Gridcell, new() { NameRegex = new Regex($"^\\w+: (?:{resourceName})$") }),
    });

    /// <summary>
    /// Runs a command from a resource's Actions menu on the Resources page (start, stop, a custom
    /// command such as a load-lab scenario, or a view such as Console logs), as a user would.
    /// </summary>
    /// <param name="screenshot">When given, the name of a screenshot taken with the menu open and the command under the pointer.</param>
    public async Task RunResourceCommandAsync(string resourceName, string commandName, string? screenshot = null)
    {
        await GoToResourcesAsync();
        var row = ResourceRow(resourceName);
        await row.GetByRole(AriaRole.Button, new() { Name = "Actions", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Menuitem).First).ToBeVisibleAsync();
        var command = Page.GetByRole(AriaRole.Menuitem, new() { Name = commandName, Exact = true });
        if (!await command.IsVisibleAsync())
        {
            // A resource's own commands sit in the menu's Commands submenu (whose name holds all of theirs).
            await Page.GetByRole(AriaRole.Menuitem, new() { NameRegex = new Regex("^Commands\\b") }).ClickAsync();
        }

        if (screenshot is not null)
        {
            await command.HoverAsync();
            await ScreenshotAsync(screenshot);
        }

        await command.ClickAsync();
    }

    public Task GoToTracesAsync() => GoToAsync("/traces");

    /// <summary>The row of the Traces page that lists the trace with this id (its accessible name holds the full id).</summary>
    public ILocator TraceRow(string traceId) => Page.GetByRole(AriaRole.Row, new() { Name = $"Trace Id: {traceId}" });

    /// <summary>The rows of the Traces page whose text (resource, root span name, span counts) matches.</summary>
    public ILocator TraceRows(Regex text) => Page.GetByRole(AriaRole.Row).Filter(new() { HasTextRegex = text })
        .Filter(new() { Has = Page.GetByRole(AriaRole.Gridcell) });

    /// <summary>Opens a trace's detail page from its row on the Traces page.</summary>
    public async Task OpenTraceAsync(ILocator traceRow)
    {
        await traceRow.GetByRole(AriaRole.Gridcell).Nth(1).ClickAsync();
        await Expect(Page.GetByText("Trace detail")).ToBeVisibleAsync();
    }

    /// <summary>A figure from the trace detail page's header, e.g. "Total spans".</summary>
    public async Task<int> TraceDetailFigureAsync(string label)
    {
        var header = await Page.GetByRole(AriaRole.Group).Filter(new() { HasText = "Trace detail" }).First.InnerTextAsync();
        var match = Regex.Match(header, $@"{Regex.Escape(label)}\s*(\d+)");
        return match.Success ? int.Parse(match.Groups[1].Value) : throw new InvalidOperationException($"No \"{label}\" in the trace header: {header}");
    }

    /// <summary>
    /// Rows of the trace detail page's span list whose accessible name matches: "&lt;resource&gt;: &lt;span
    /// name&gt;", then "Outgoing call to &lt;peer&gt;" for a call to a resource without telemetry of its own.
    /// </summary>
    public ILocator SpanRows(Regex name) => Page.GetByRole(AriaRole.Region, new() { Name = "Trace detail" })
        .GetByRole(AriaRole.Row, new() { NameRegex = ForSelector(name) });

    /// <summary>
    /// Playwright passes a regex to the page as /source/flags without escaping the slashes in it, so a
    /// pattern holding a route or a grain method ("POST /api/orders") must escape them itself.
    /// </summary>
    private static Regex ForSelector(Regex pattern) => new(UnescapedSlash().Replace(pattern.ToString(), @"\/"), pattern.Options);

    [GeneratedRegex(@"(?<!\\)/")]
    private static partial Regex UnescapedSlash();

    /// <summary>Opens one instrument of one meter of a resource on the Metrics page, as a chart or as the table of its latest values.</summary>
    public async Task OpenMetricAsync(string resourceName, string meter, string instrument, MetricView view = MetricView.Graph)
    {
        await GoToAsync($"/metrics/resource/{Uri.EscapeDataString(resourceName)}?meter={Uri.EscapeDataString(meter)}&instrument={Uri.EscapeDataString(instrument)}&view={view}");
    }

    /// <summary>A dimension's row in the Filters table under a metric's chart; its values are buttons (e.g. perf.variant: naive, optimized).</summary>
    public ILocator MetricFilter(string dimension) => Page.GetByRole(AriaRole.Row).Filter(new()
    {
        Has = Page.GetByRole(AriaRole.Gridcell, new() { Name = dimension, Exact = true }),
    });

    /// <summary>Waits until the Metrics page has drawn a histogram's chart (its legend names the percentiles), so a screenshot shows it.</summary>
    public async Task ExpectHistogramChartDrawnAsync() =>
        await Expect(Page.GetByText(new Regex("^P50 ")).First).ToBeVisibleAsync();

    /// <summary>
    /// Cells of the Metrics page's table view that hold this value. A cell's accessible name is the
    /// value alone (its text adds the arrow's "Value increased"); a time cell's is a full date and time.
    /// </summary>
    public ILocator MetricValueCells(string value) => Page.GetByRole(AriaRole.Tabpanel)
        .GetByRole(AriaRole.Gridcell, new() { Name = value, Exact = true });

    /// <summary>
    /// Waits for <paramref name="target"/> to show, reloading the page whenever the dashboard's UI
    /// crashed meanwhile ("An unhandled error has occurred. Reload"), as a user would. Dashboard
    /// 13.6.5 sometimes fails so when it renders a metric's table view (an ObjectDisposedException in
    /// its virtualized grid), whatever the data, and may fail again right after a reload.
    /// </summary>
    public async Task ExpectVisibleReloadingOnCrashAsync(ILocator target, float timeoutMs)
    {
        var crashed = Page.GetByText("An unhandled error has occurred.");
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            var remaining = (float)(deadline - DateTime.UtcNow).TotalMilliseconds;
            try
            {
                await Expect(target.Or(crashed).First).ToBeVisibleAsync(new() { Timeout = remaining });
            }
            catch (PlaywrightException)
            {
                break; // neither showed in time: the assertion below says what was expected
            }

            if (!await crashed.IsVisibleAsync())
            {
                break;
            }

            await Page.ReloadAsync();
        }

        await Expect(target).ToBeVisibleAsync(new() { Timeout = 1_000 });
    }

    /// <summary>Saves what the tab shows under <paramref name="name"/> (and into the walkthrough when it is being regenerated).</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Screenshots.PathFor(name);
        await Page.ScreenshotAsync(new() { Path = path });
        if (Screenshots.WalkthroughDirectory is { } walkthrough)
        {
            File.Copy(path, Path.Combine(walkthrough, Path.GetFileName(path)), overwrite: true);
        }

        return path;
    }

    public async ValueTask DisposeAsync() => await Page.CloseAsync();
}

/// <summary>How the Metrics page shows an instrument (the dashboard's <c>view</c> query parameter).</summary>
public enum MetricView
{
    Graph,
    Table,
}
