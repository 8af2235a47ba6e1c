using System.Net;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.Performance;
using static PerfReference.TestSupport.PerfHeaders;

namespace PerfReference.IntegrationTests.Catalog;

/// <summary>
/// <c>memory-leak</c> on the real topology: a catalog page is built once per query string and then
/// served from the process's cache, in both variants, with the same page. (That the naive cache never
/// lets go and the bounded one holds at most its limit is pinned by the component test.)
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class MemoryLeakTests(TopologyFixture topology)
{
    private static readonly string Entry = PerfCatalog.MemoryLeak.Id;

    [Theory]
    [InlineData(Naive)]
    [InlineData(Optimized)]
    public async Task APageIsBuiltOncePerQueryStringThenServedFromTheCache(string variant)
    {
        var ct = TestContext.Current.CancellationToken;
        var query = $"?page=2&pageSize=50&_={Guid.NewGuid():N}";

        using var first = await SendAsync(variant, query, ct);
        using var second = await SendAsync(variant, query, ct);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.True(DbRoundtrips(first) > 0, "the first ask of a query string builds the page");
        Assert.Equal(0, DbRoundtrips(second));
        Assert.Equal(await first.Content.ReadAsStringAsync(ct), await second.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task BothVariantsAnswerTheSamePage()
    {
        var ct = TestContext.Current.CancellationToken;

        using var naive = await SendAsync(Naive, $"?page=1&pageSize=20&_={Guid.NewGuid():N}", ct);
        using var optimized = await SendAsync(Optimized, $"?page=1&pageSize=20&_={Guid.NewGuid():N}", ct);

        Assert.Equal(await naive.Content.ReadAsStringAsync(ct), await optimized.Content.ReadAsStringAsync(ct));
    }

    [Theory]
    [InlineData("?page=0")]
    [InlineData("?pageSize=101")]
    public async Task ABadPageIsAProblem(string query)
    {
        using var response = await SendAsync(Optimized, query, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(string variant, string query, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products/pages" + query).WithVariant(variant, Entry);
        return await topology.Orders.SendAsync(request, ct);
    }
}
