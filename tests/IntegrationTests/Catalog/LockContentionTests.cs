using System.Net;
using System.Net.Http.Json;
using Npgsql;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.Performance;
using static PerfReference.TestSupport.PerfHeaders;

namespace PerfReference.IntegrationTests.Catalog;

/// <summary>
/// <c>lock-contention</c> on the real topology: 40 concurrent reservations of a product's last 8
/// units sell exactly 8 and leave the stock at 0, never below, in both variants; naive makes two
/// round trips (under its lock), optimized one statement. Bad input is refused and changes nothing.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class LockContentionTests(TopologyFixture topology)
{
    private static readonly string Entry = PerfCatalog.LockContention.Id;
    private const int LastUnits = 8;
    private const int Checkouts = 40;

    [Theory]
    [InlineData(Naive, 0)]
    [InlineData(Optimized, 1)]
    public async Task ConcurrentReservationsOfTheLastUnitsNeverOversell(string variant, int product)
    {
        var ct = TestContext.Current.CancellationToken;
        var productId = await ProductAsync(product, ct);
        await SetStockAsync(productId, LastUnits, ct);

        var answers = await Task.WhenAll(Enumerable.Range(0, Checkouts).Select(_ => ReserveAsync(variant, productId, 1, ct)));

        Assert.Equal(LastUnits, answers.Count(a => a == HttpStatusCode.OK));
        Assert.Equal(Checkouts - LastUnits, answers.Count(a => a == HttpStatusCode.Conflict));
        Assert.Equal(0, await StockAsync(productId, ct));
    }

    [Fact]
    public async Task NaiveMakesTwoRoundTripsAndOptimizedOne()
    {
        var ct = TestContext.Current.CancellationToken;
        var productId = await ProductAsync(2, ct);
        await SetStockAsync(productId, 10, ct);

        using var naive = await SendAsync(Naive, productId, 1, ct);
        using var optimized = await SendAsync(Optimized, productId, 1, ct);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (naive.StatusCode, optimized.StatusCode));
        Assert.Equal((2, 1), (DbRoundtrips(naive), DbRoundtrips(optimized)));
        Assert.Contains("\"remaining\":9", await naive.Content.ReadAsStringAsync(ct));
        Assert.Contains("\"remaining\":8", await optimized.Content.ReadAsStringAsync(ct));
    }

    [Theory]
    [InlineData("{\"quantity\":0}", HttpStatusCode.BadRequest)]
    [InlineData("{\"quantity\":1001}", HttpStatusCode.BadRequest)]
    [InlineData("{}", HttpStatusCode.BadRequest)]
    [InlineData("{\"quantity\":\"1\"}", HttpStatusCode.BadRequest)]
    public async Task ABadReservationIsRefusedAndTakesNothing(string body, HttpStatusCode expected)
    {
        var ct = TestContext.Current.CancellationToken;
        var productId = await ProductAsync(3, ct);
        await SetStockAsync(productId, 5, ct);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/products/{productId}/reservations")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        using var response = await topology.Orders.SendAsync(request, ct);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(5, await StockAsync(productId, ct));
    }

    [Fact]
    public async Task AnUnknownProductIsNotFoundAndANegativeStockIsRefused()
    {
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.NotFound, await ReserveAsync(Optimized, 999_999_999, 1, ct));
        Assert.Equal(HttpStatusCode.NotFound, await ReserveAsync(Naive, 999_999_999, 1, ct));
        using var negative = await topology.Orders.PutAsJsonAsync($"/api/products/{await ProductAsync(3, ct)}/stock", new { units = -1 }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
    }

    private async Task<HttpStatusCode> ReserveAsync(string variant, long productId, int quantity, CancellationToken ct)
    {
        using var response = await SendAsync(variant, productId, quantity, ct);
        return response.StatusCode;
    }

    private async Task<HttpResponseMessage> SendAsync(string variant, long productId, int quantity, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/products/{productId}/reservations")
        {
            Content = JsonContent.Create(new { quantity }),
        }.WithVariant(variant, Entry);
        return await topology.Orders.SendAsync(request, ct);
    }

    private async Task SetStockAsync(long productId, int units, CancellationToken ct)
    {
        using var response = await topology.Orders.PutAsJsonAsync($"/api/products/{productId}/stock", new { units }, ct);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>The stock as PostgreSQL holds it, read directly.</summary>
    private async Task<int> StockAsync(long productId, CancellationToken ct)
    {
        await using var connection = await topology.OpenOrdersDbAsync(ct);
        await using var command = new NpgsqlCommand("SELECT stock FROM products WHERE id = $1", connection) { Parameters = { new() { Value = productId } } };
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>One of the last active products (this class's own: no other test reserves its stock).</summary>
    private async Task<long> ProductAsync(int index, CancellationToken ct)
    {
        await using var connection = await topology.OpenOrdersDbAsync(ct);
        await using var command = new NpgsqlCommand("SELECT id FROM products WHERE is_active ORDER BY id DESC OFFSET $1 LIMIT 1", connection)
        {
            Parameters = { new() { Value = index } },
        };
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
