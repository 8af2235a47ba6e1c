using System.Net;
using System.Text.Json;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.Performance;
using static PerfReference.TestSupport.PerfHeaders;

namespace PerfReference.IntegrationTests.Catalog;

/// <summary>
/// <c>missing-index</c> on the real topology: the migration built the index, the naive summary runs the plan of a
/// table without it (a sequential scan, reported back with the request), and both variants sum the same orders. At
/// the tiny data set a sequential scan is also what the planner picks with the index (300 orders fit in a few pages):
/// the index plan is pinned by the component test on 200,000 orders, and measured by the lab on 1,000,000.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class MissingIndexTests(TopologyFixture topology)
{
    private static readonly string Entry = PerfCatalog.MissingIndex.Id;

    [Fact]
    public async Task TheNaiveSummaryScansTheTableAndBothVariantsCountTheSameOrders()
    {
        var ct = TestContext.Current.CancellationToken;
        var to = DateTimeOffset.UtcNow.AddMinutes(1);
        var window = $"from={Iso(to.AddDays(-31))}&to={Iso(to)}";

        using var naive = await SendAsync(Naive, window, ct);
        using var optimized = await SendAsync(Optimized, window, ct);

        Assert.Equal(HttpStatusCode.OK, naive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, optimized.StatusCode);
        Assert.Equal("Seq Scan", Header(naive, "X-Perf-Db-Plan"));
        Assert.NotEmpty(Header(optimized, "X-Perf-Db-Plan")); // whatever the planner chose, it was read back
        var (naiveSummary, optimizedSummary) = (await naive.Content.ReadAsStringAsync(ct), await optimized.Content.ReadAsStringAsync(ct));
        Assert.Equal(naiveSummary, optimizedSummary);
        using var summary = JsonDocument.Parse(optimizedSummary);
        Assert.Equal(
            await topology.ScalarAsync("SELECT count(*) FROM orders WHERE created_at >= $1 AND created_at < $2", ct, to.AddDays(-31), to),
            summary.RootElement.GetProperty("orders").GetInt64());
    }

    [Fact]
    public async Task TheMigrationBuiltTheIndexOnCreatedAtAndId() =>
        Assert.Equal(1, await topology.ScalarAsync(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'orders' AND indexname = 'ix_orders_created_at_id' AND indexdef LIKE '%(created_at, id)'",
            TestContext.Current.CancellationToken));

    [Theory]
    [InlineData("", "from")]
    [InlineData("from=2026-01-01T00:00:00Z", "to")]
    [InlineData("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", "to")]
    [InlineData("from=yesterday&to=2026-01-01T00:00:00Z", "from")]
    public async Task ABadWindowIsAProblemNamingTheParameterInBothVariants(string query, string parameter)
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var variant in new[] { Naive, Optimized })
        {
            using var response = await SendAsync(variant, query, ct);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _), $"The problem should name {parameter}.");
        }
    }

    private Task<HttpResponseMessage> SendAsync(string variant, string query, CancellationToken ct) =>
        topology.Orders.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/operations/orders-summary?{query}").WithVariant(variant, Entry), ct);

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("O"));
}
