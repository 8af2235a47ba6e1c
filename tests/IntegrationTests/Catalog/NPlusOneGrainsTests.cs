using System.Net;
using System.Net.Http.Json;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.Performance;
using static PerfReference.TestSupport.PerfHeaders;

namespace PerfReference.IntegrationTests.Catalog;

/// <summary>
/// <c>n-plus-one-grains</c>: reading 50 customers costs 50 grain calls in both variants; naive makes
/// them one at a time, optimized has them all in flight at once — and both answer the same. The silos' account of
/// each call (its wait and run) puts all 50 on the naive request's critical path and one on the optimized one's.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class NPlusOneGrainsTests(TopologyFixture topology)
{
    private static readonly string Entry = PerfCatalog.NPlusOneGrains.Id;

    private static readonly string FiftyCustomers = string.Join(',', Enumerable.Range(1, 50));

    [Fact]
    public async Task FiftyCustomersAreFiftyCallsOneAtATimeNaiveAndAllAtOnceOptimized()
    {
        var ct = TestContext.Current.CancellationToken;
        // Activate the grains first, so both variants measure warm calls.
        using var warmUp = await topology.Orders.GetAsync($"/api/customers/profiles?ids={FiftyCustomers}", ct);
        Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);

        using var naive = await SendAsync(Naive, FiftyCustomers, ct);
        using var optimized = await SendAsync(Optimized, FiftyCustomers, ct);

        Assert.Equal(HttpStatusCode.OK, naive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, optimized.StatusCode);
        Assert.Equal(50, GrainCalls(naive));
        Assert.Equal(50, GrainCalls(optimized));
        // Naive awaits each call before making the next: never two at once, by construction.
        Assert.Equal(1, GrainConcurrency(naive));
        // Optimized sends all 50 before awaiting any. Usually all 50 wait at once; an answer can come
        // back while the last calls are still being sent (seen: 49), so the guard is "most of them".
        Assert.InRange(GrainConcurrency(optimized), 25, 50);
        // Where the grain time went, as the silos reported it: naive, all 50 calls are on the critical path, one after
        // another; optimized, the calls in flight together overlap, so at most one of them is (never 50 waits summed).
        Assert.Equal(50, GrainPathCalls(naive));
        Assert.InRange(GrainPathCalls(optimized), 1, 51 - GrainConcurrency(optimized));
        Assert.All(new[] { GrainSplit(naive), GrainSplit(optimized) }, split => Assert.True(split.Link > 0, "every call crossed a link to a silo and back"));

        var (naiveProfiles, optimizedProfiles) = (await ReadAsync(naive, ct), await ReadAsync(optimized, ct));
        Assert.Equal(Enumerable.Range(1, 50).Select(id => (long)id), optimizedProfiles.Profiles.Select(p => p.CustomerId));
        Assert.Empty(optimizedProfiles.Missing);
        Assert.Equal(naiveProfiles.Profiles.Select(p => (p.CustomerId, p.Name, p.Tier)), optimizedProfiles.Profiles.Select(p => (p.CustomerId, p.Name, p.Tier)));
    }

    [Theory]
    [InlineData(Naive)]
    [InlineData(Optimized)]
    public async Task UnknownCustomersAreListedAsMissingInTheOrderAsked(string variant)
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await SendAsync(variant, "3,999999991,1,999999990", ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profiles = await ReadAsync(response, ct);
        Assert.Equal([3L, 1L], profiles.Profiles.Select(p => p.CustomerId));
        Assert.Equal([999_999_991L, 999_999_990L], profiles.Missing);
        Assert.Equal(4, GrainCalls(response));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ids=")]
    [InlineData("ids=1,two,3")]
    [InlineData("ids=1,0")]
    [InlineData("ids=4,5,4")]
    [InlineData("ids=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100,101")]
    public async Task BadIdsAreAValidationProblemAndCallNoGrain(string query)
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await topology.Orders.GetAsync($"/api/customers/profiles?{query}", ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"ids\"", await response.Content.ReadAsStringAsync(ct));
        Assert.Equal(0, GrainCalls(response));
    }

    private Task<HttpResponseMessage> SendAsync(string variant, string ids, CancellationToken ct) =>
        topology.Orders.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/customers/profiles?ids={ids}").WithVariant(variant, Entry), ct);

    private static async Task<ProfilesView> ReadAsync(HttpResponseMessage response, CancellationToken ct) =>
        await response.Content.ReadFromJsonAsync<ProfilesView>(Checkouts.Json, ct) ?? throw new InvalidOperationException("Empty body.");

    private sealed record ProfilesView(IReadOnlyList<CustomerView> Profiles, IReadOnlyList<long> Missing);
}
