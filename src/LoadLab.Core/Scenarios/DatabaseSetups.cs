using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PerfReference.LoadLab.Results;
using PerfReference.Performance;

namespace PerfReference.LoadLab.Scenarios;

/// <summary>
/// The setups of the database entries (missing-index, connection-pooling, unbounded-results, bulk-insert). Their
/// bottlenecks only exist at size: run them against the default data set (1M orders; scripts/measure-all.sh loads it).
/// Time windows are placed relative to the run's start, inside the two years the seeded orders span.
/// </summary>
public static class DatabaseSetups
{
    /// <summary>How far back windows reach: the seeded orders go back about 694 days (1,000,000 minutes) from their seeding.</summary>
    private const int WindowSpanMinutes = 900_000;

    /// <summary>The summary's window: an hour (about 60 orders of the default data set).</summary>
    public static readonly TimeSpan SummaryWindow = TimeSpan.FromHours(1);

    /// <summary>The listing's window: a fortnight (about 20,000 orders of the default data set).</summary>
    public static readonly TimeSpan ListingWindow = TimeSpan.FromDays(14);

    /// <summary>Rows per import request: enough for the per-row cost to dominate, few enough that 300 naive imports fit in minutes.</summary>
    public const int ImportRows = 500;

    public static Task<PreparedScenario> ReadHourSummaries(HttpClient http, CancellationToken ct)
    {
        var anchor = WholeMinute(DateTimeOffset.UtcNow);
        return Task.FromResult(new PreparedScenario(
            i => Get($"api/operations/orders-summary?{Window(anchor, i, SummaryWindow)}"),
            $"one-hour windows spread over the {WindowSpanMinutes / 1440} days before {Iso(anchor)}"));
    }

    public static Task<PreparedScenario> ReadFortnightListings(HttpClient http, CancellationToken ct)
    {
        var anchor = WholeMinute(DateTimeOffset.UtcNow);
        return Task.FromResult(new PreparedScenario(
            i => Get($"api/orders?{Window(anchor, i, ListingWindow)}"),
            $"14-day windows spread over the {WindowSpanMinutes / 1440} days before {Iso(anchor)}; the optimized page is the first of {100} orders"));
    }

    public static async Task<PreparedScenario> PollOrderStatuses(HttpClient http, CancellationToken ct)
    {
        var anchor = WholeMinute(DateTimeOffset.UtcNow);
        using var request = Get($"api/orders?from={Iso(anchor - TimeSpan.FromDays(30))}&to={Iso(anchor.AddMinutes(1))}&pageSize=500");
        request.Headers.Add(PerfSelection.HeaderName, Variant.Optimized.Header);
        using var response = await http.SendAsync(request, ct);
        await ScenarioSetups.EnsureSuccessAsync(response, "listing recent orders", ct);
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var ids = page.RootElement.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).ToArray();
        if (ids.Length == 0)
        {
            throw new ScenarioSetupException("No order was placed in the last 31 days: has the data set been loaded?");
        }

        return new PreparedScenario(i => Get($"api/orders/{ids[i % ids.Length]}/status"), $"the {ids.Length} most recent orders, in turn");
    }

    /// <summary>
    /// A supplier's feed of new products: every request <see cref="ImportRows"/> SKUs no import has sent before
    /// (LAB-FEED-{run}-{request}-{row}), so every row is an INSERT. The setup and the cleanup remove the lab's feed
    /// products (<see cref="RemoveFeedProductsAsync"/>): the catalog grows during a run, not from one run to the next.
    /// </summary>
    public static async Task<PreparedScenario> ImportNewProducts(HttpClient http, CancellationToken ct)
    {
        await RemoveFeedProductsAsync(http, ct);
        var run = Guid.NewGuid().ToString("N")[..8];
        return new PreparedScenario(
            i => Import($"LAB-FEED-{run}-{i:D6}-"),
            $"{ImportRows} new products per import (JSON Lines, ~{ImportRows * 110 / 1000} kB), every row an INSERT; the lab's feed products removed before and after the run")
        {
            Work = new WorkPerRequest(ImportRows, "rows"),
        };
    }

    /// <summary>Takes the products of the lab's feeds out of the catalog again.</summary>
    public static async Task RemoveFeedProductsAsync(HttpClient http, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/diagnostics/lab-feed/remove");
        using var response = await http.SendAsync(request, ct);
        await ScenarioSetups.EnsureSuccessAsync(response, "removing the lab's feed products", ct);
    }

    private static HttpRequestMessage Import(string skuPrefix)
    {
        var feed = new StringBuilder(ImportRows * 120);
        for (var row = 0; row < ImportRows; row++)
        {
            feed.Append(CultureInfo.InvariantCulture,
                $"{{\"sku\":\"{skuPrefix}{row:D5}\",\"name\":\"Feed product {row}\",\"category\":\"feed\",\"priceMinor\":{100 + row},\"isActive\":true}}\n");
        }

        return new HttpRequestMessage(HttpMethod.Post, "api/products/import")
        {
            Content = new StringContent(feed.ToString(), Encoding.UTF8, new MediaTypeHeaderValue("application/x-ndjson")),
        };
    }

    /// <summary>Window number <paramref name="i"/>: a pseudo-random start (7919 is prime) within the span, the same for the same i.</summary>
    private static string Window(DateTimeOffset anchor, long i, TimeSpan length)
    {
        var from = anchor.AddMinutes(-(i * 7_919 % WindowSpanMinutes)) - length;
        return $"from={Iso(from)}&to={Iso(from + length)}";
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static DateTimeOffset WholeMinute(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, TimeSpan.Zero);

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
}
