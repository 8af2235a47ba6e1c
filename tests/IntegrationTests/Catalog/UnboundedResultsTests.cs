using System.Net;
using System.Text.Json;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.Performance;
using static PerfReference.TestSupport.PerfHeaders;

namespace PerfReference.IntegrationTests.Catalog;

/// <summary>
/// <c>unbounded-results</c> on the real topology: the listing answers every order of the window naive and the same
/// orders in bounded pages optimized (followed through their cursors); the export is the same bytes either way,
/// buffered whole (its length known up front) or streamed.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class UnboundedResultsTests(TopologyFixture topology)
{
    private static readonly string Entry = PerfCatalog.UnboundedResults.Id;
    private const int PageSize = 3;

    [Fact]
    public async Task TheNaiveListingIsEverythingAndTheOptimizedPagesAddUpToIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var window = Window();

        using var naive = await SendAsync(Naive, $"/api/orders?{window}&pageSize={PageSize}", ct);
        var everything = await IdsAsync(naive, ct);
        var paged = new List<long>();
        string? after = null;
        var pages = 0;
        do
        {
            using var page = await SendAsync(Optimized, $"/api/orders?{window}&pageSize={PageSize}{(after is null ? "" : $"&after={Uri.EscapeDataString(after)}")}", ct);
            using var json = JsonDocument.Parse(await page.Content.ReadAsStringAsync(ct));
            var items = json.RootElement.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).ToArray();
            Assert.InRange(items.Length, 1, PageSize);
            paged.AddRange(items);
            after = json.RootElement.GetProperty("next").GetString();
            pages++;
        }
        while (after is not null);

        Assert.True(everything.Count > PageSize, $"The window should hold more than a page, not {everything.Count} orders.");
        Assert.Equal(everything, paged);
        Assert.Equal((everything.Count + PageSize - 1) / PageSize, pages);
    }

    [Fact]
    public async Task TheExportIsTheSameBytesBufferedNaiveAndStreamedOptimized()
    {
        var ct = TestContext.Current.CancellationToken;

        using var naive = await SendAsync(Naive, $"/api/orders/export?{Window()}", ct);
        using var optimized = await SendAsync(Optimized, $"/api/orders/export?{Window()}", ct);

        var (naiveBody, optimizedBody) = (await naive.Content.ReadAsByteArrayAsync(ct), await optimized.Content.ReadAsByteArrayAsync(ct));
        Assert.Equal(HttpStatusCode.OK, optimized.StatusCode);
        Assert.Equal(naiveBody, optimizedBody);
        Assert.True(JsonDocument.Parse(optimizedBody).RootElement.GetArrayLength() > PageSize);
        // Naive, the answer existed whole before it was sent. (Streamed, a body this small still fits in the server's
        // first write, so it gets a length too: the difference shows at size, in the lab's working set and allocations.)
        Assert.Equal(naiveBody.Length, naive.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData("/api/orders?to=2026-01-01T00:00:00Z", "from")]
    [InlineData("/api/orders?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&after=banana", "after")]
    [InlineData("/api/orders?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&pageSize=0", "pageSize")]
    [InlineData("/api/orders?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&pageSize=501", "pageSize")]
    [InlineData("/api/orders?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("/api/orders/export?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    public async Task ABadRequestIsAProblemNamingTheParameterInBothVariants(string path, string parameter)
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var variant in new[] { Naive, Optimized })
        {
            using var response = await SendAsync(variant, path, ct);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _), $"The problem should name {parameter}.");
        }
    }

    /// <summary>The longest window allowed, ending now: the tiny data set's recent orders and every order the tests placed.</summary>
    private static string Window()
    {
        var to = DateTimeOffset.UtcNow.AddMinutes(1);
        return $"from={Uri.EscapeDataString(to.AddDays(-31).ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";
    }

    private Task<HttpResponseMessage> SendAsync(string variant, string path, CancellationToken ct) =>
        topology.Orders.SendAsync(new HttpRequestMessage(HttpMethod.Get, path).WithVariant(variant, Entry), ct);

    private static async Task<List<long>> IdsAsync(HttpResponseMessage response, CancellationToken ct)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("next").ValueKind);
        return [.. json.RootElement.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetInt64())];
    }
}
