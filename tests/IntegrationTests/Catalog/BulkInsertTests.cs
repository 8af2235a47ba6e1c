using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.Performance;
using static PerfReference.TestSupport.PerfHeaders;

namespace PerfReference.IntegrationTests.Catalog;

/// <summary>
/// <c>bulk-insert</c> on the real topology: <c>POST /api/products/import</c> imports a JSON Lines feed row by row
/// through EF naive and by COPY and one merge optimized — the same report and the same stored rows; a malformed line
/// is a 400 problem naming the line and why, with nothing of the import written, in both variants.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class BulkInsertTests(TopologyFixture topology)
{
    private static readonly string Entry = PerfCatalog.BulkInsert.Id;
    private const int Rows = 500;

    [Fact]
    public async Task BothVariantsImportTheFeedAlike()
    {
        var ct = TestContext.Current.CancellationToken;
        var (naivePrefix, optimizedPrefix) = (Prefix(), Prefix());

        using var naive = await ImportAsync(Naive, Feed(naivePrefix, Rows), ct);
        using var optimized = await ImportAsync(Optimized, Feed(optimizedPrefix, Rows), ct);

        Assert.Equal(HttpStatusCode.OK, naive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, optimized.StatusCode);
        const string report = """{"rows":500,"inserted":500,"updated":0,"unchanged":0}""";
        Assert.Equal((report, report), (await naive.Content.ReadAsStringAsync(ct), await optimized.Content.ReadAsStringAsync(ct)));
        Assert.Equal(await StoredAsync(naivePrefix, ct), await StoredAsync(optimizedPrefix, ct));
        Assert.Equal(Rows, (await StoredAsync(optimizedPrefix, ct)).Count);
    }

    [Theory]
    [InlineData(Naive)]
    [InlineData(Optimized)]
    public async Task AMalformedLineIsAProblemNamingItAndNothingIsWritten(string variant)
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = Prefix();
        var feed = Feed(prefix, 300) + """{"sku":"X","name":"Lamp","category":"home","priceMinor":-5}""" + "\n" + Feed(prefix + "later-", 10);

        using var response = await ImportAsync(variant, feed, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.Equal(301, problem.RootElement.GetProperty("line").GetInt32());
        Assert.Equal("Line 301: priceMinor must be a positive number of cents.", problem.RootElement.GetProperty("detail").GetString());
        Assert.Empty(await StoredAsync(prefix, ct));
    }

    [Theory]
    [InlineData(Naive)]
    [InlineData(Optimized)]
    public async Task AFeedThatIsNotJsonLinesIsRefusedUnread(string variant)
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = Prefix();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/products/import")
        {
            Content = new StringContent(Feed(prefix, 3), Encoding.UTF8, "text/csv"),
        }.WithVariant(variant, Entry);

        using var response = await topology.Orders.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(await StoredAsync(prefix, ct));
    }

    [Fact]
    public async Task AnImportedPriceChangeIsWhatTheProductReadsAnswerNext()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = Prefix();
        using (var first = await ImportAsync(Optimized, Feed(prefix, 1), ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var id = await topology.ScalarAsync("SELECT id FROM products WHERE sku = $1", ct, $"{prefix}00000");
        Assert.Equal(100, await PriceAsync(id, ct)); // now in the Redis cache

        using (var changed = await ImportAsync(Naive, Feed(prefix, 1, price: 250), ct))
        {
            Assert.Equal("""{"rows":1,"inserted":0,"updated":1,"unchanged":0}""", await changed.Content.ReadAsStringAsync(ct));
        }

        Assert.Equal(250, await PriceAsync(id, ct)); // the import dropped the stale copy
    }

    private Task<HttpResponseMessage> ImportAsync(string variant, string feed, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/products/import")
        {
            Content = new StringContent(feed, Encoding.UTF8, new MediaTypeHeaderValue("application/x-ndjson")),
        };
        return topology.Orders.SendAsync(request.WithVariant(variant, Entry), ct);
    }

    private async Task<long> PriceAsync(long productId, CancellationToken ct)
    {
        using var json = JsonDocument.Parse(await topology.Orders.GetStringAsync($"/api/products/{productId}", ct));
        return json.RootElement.GetProperty("priceMinor").GetInt64();
    }

    private static string Prefix() => $"IT-{Guid.NewGuid():N}"[..15] + "-";

    private static string Feed(string prefix, int rows, long? price = null) => string.Concat(Enumerable.Range(0, rows).Select(i =>
        $$"""{"sku":"{{prefix}}{{i:D5}}","name":"Imported {{i}}","category":"import","priceMinor":{{price ?? 100 + i}}}""" + "\n"));

    /// <summary>The stored rows of a feed without its prefix (so two imports of the same feed compare equal).</summary>
    private async Task<List<string>> StoredAsync(string prefix, CancellationToken ct)
    {
        await using var command = topology.OrdersDb.CreateCommand(
            "SELECT substr(sku, length($1) + 1) || '|' || name || '|' || category || '|' || price_minor || '|' || is_active FROM products WHERE sku LIKE $1 || '%' ORDER BY id");
        command.Parameters.Add(new() { Value = prefix });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
