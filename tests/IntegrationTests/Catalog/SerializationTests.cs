using System.Net;
using System.Text.Json;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.Performance;
using static PerfReference.TestSupport.PerfHeaders;

namespace PerfReference.IntegrationTests.Catalog;

/// <summary>
/// <c>serialization</c>: a customer's statement as the entity graph serialized by reflection
/// (naive) and as a projection serialized by generated code (optimized) — the same orders and
/// totals, in a fraction of the bytes.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class SerializationTests(TopologyFixture topology)
{
    private static readonly string Entry = PerfCatalog.Serialization.Id;
    private const long CustomerId = 73;

    [Fact]
    public async Task TheOptimizedStatementHasTheSameOrdersAndTotalsInAFractionOfTheBytes()
    {
        var ct = TestContext.Current.CancellationToken;
        // Three more orders of twenty lines each on top of the customer's seeded ones.
        for (var order = 0; order < 3; order++)
        {
            var lines = Enumerable.Range(1 + order * 20, 20).Select(id => ((long)id, 2));
            using var placed = await topology.Orders.SendAsync(Checkouts.Request(CustomerId, lines).WithVariant(Optimized, PerfCatalog.NPlusOneDb.Id), ct);
            await Checkouts.ReadPlacedAsync(placed, ct);
        }

        using var naive = await SendAsync(Naive, CustomerId, ct);
        using var optimized = await SendAsync(Optimized, CustomerId, ct);

        Assert.Equal(HttpStatusCode.OK, naive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, optimized.StatusCode);
        var (naiveBytes, optimizedBytes) = (await naive.Content.ReadAsByteArrayAsync(ct), await optimized.Content.ReadAsByteArrayAsync(ct));

        // The same orders, newest first, with the same totals and line counts.
        using var naiveJson = JsonDocument.Parse(naiveBytes);
        using var optimizedJson = JsonDocument.Parse(optimizedBytes);
        var naiveOrders = Orders(naiveJson.RootElement.GetProperty("orders"));
        var optimizedOrders = Orders(optimizedJson.RootElement.GetProperty("orders"));
        Assert.True(optimizedOrders.Count >= 3);
        Assert.Equal(naiveOrders, optimizedOrders);
        Assert.Equal(naiveOrders.Sum(o => o.TotalMinor), optimizedJson.RootElement.GetProperty("totalSpentMinor").GetInt64());

        // What the naive statement carries that nobody reads: internal keys and hashes, every order again under its payment.
        var naiveText = System.Text.Encoding.UTF8.GetString(naiveBytes);
        Assert.Contains("\"requestHash\"", naiveText);
        Assert.Contains("\"idempotencyKey\"", naiveText);
        Assert.DoesNotContain("\"requestHash\"", System.Text.Encoding.UTF8.GetString(optimizedBytes));
        Assert.True(optimizedBytes.Length * 4 <= naiveBytes.Length,
            $"The optimized statement should be at most a quarter of the naive one: {optimizedBytes.Length} vs {naiveBytes.Length} bytes.");
    }

    [Theory]
    [InlineData(Naive)]
    [InlineData(Optimized)]
    public async Task AnUnknownCustomerIsNotFoundAndABadIdIsABadRequest(string variant)
    {
        var ct = TestContext.Current.CancellationToken;

        using var unknown = await SendAsync(variant, 999_999_999, ct);
        using var bad = await topology.Orders.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/customers/abc/statement").WithVariant(variant, Entry), ct);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private Task<HttpResponseMessage> SendAsync(string variant, long customerId, CancellationToken ct) =>
        topology.Orders.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/customers/{customerId}/statement").WithVariant(variant, Entry), ct);

    private static List<(long Id, long TotalMinor, int Lines)> Orders(JsonElement orders) =>
        [.. orders.EnumerateArray().Select(o => (o.GetProperty("id").GetInt64(), o.GetProperty("totalMinor").GetInt64(), o.GetProperty("lines").GetArrayLength()))];
}
