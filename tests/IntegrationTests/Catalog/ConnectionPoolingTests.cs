using System.Net;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.Performance;
using static PerfReference.TestSupport.PerfHeaders;

namespace PerfReference.IntegrationTests.Catalog;

/// <summary>
/// <c>connection-pooling</c> on the real topology: polling an order's status opens a physical connection to PostgreSQL
/// per request naive — with the SCRAM-SHA-256 authentication the server demands of every TCP connection — and none
/// from the service's warm pool, with the same answer.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class ConnectionPoolingTests(TopologyFixture topology)
{
    private static readonly string Entry = PerfCatalog.ConnectionPooling.Id;
    private const int Requests = 5;

    [Fact]
    public async Task EveryNaiveRequestOpensAConnectionAndAWarmPoolNone()
    {
        var ct = TestContext.Current.CancellationToken;
        var orderId = await topology.ScalarAsync("SELECT min(id) FROM orders", ct);
        (await SendAsync(Optimized, orderId, ct)).Dispose(); // the pool's first connection, opened once

        for (var i = 0; i < Requests; i++)
        {
            using var naive = await SendAsync(Naive, orderId, ct);
            using var optimized = await SendAsync(Optimized, orderId, ct);

            Assert.Equal(HttpStatusCode.OK, naive.StatusCode);
            Assert.Equal(HttpStatusCode.OK, optimized.StatusCode);
            Assert.Equal(("1", "0"), (Header(naive, "X-Perf-Db-Connection-Opens"), Header(optimized, "X-Perf-Db-Connection-Opens")));
            Assert.Contains("db-connect;dur=", Header(naive, "Server-Timing"));
            Assert.Equal(await naive.Content.ReadAsStringAsync(ct), await optimized.Content.ReadAsStringAsync(ct));
        }
    }

    [Fact]
    public async Task TheServerMakesEveryTcpConnectionAuthenticateWithScram()
    {
        var ct = TestContext.Current.CancellationToken;

        // What the naive variant pays for on every request: no trust, no md5 — a SCRAM exchange against a salted verifier.
        Assert.Equal(0, await topology.ScalarAsync("SELECT count(*) FROM pg_hba_file_rules WHERE type = 'host' AND auth_method <> 'scram-sha-256'", ct));
        Assert.True(await topology.ScalarAsync("SELECT count(*) FROM pg_hba_file_rules WHERE type = 'host'", ct) > 0);
        Assert.Equal(1, await topology.ScalarAsync("SELECT count(*) FROM pg_authid WHERE rolname = 'postgres' AND rolpassword LIKE 'SCRAM-SHA-256$%'", ct));
    }

    [Theory]
    [InlineData(Naive)]
    [InlineData(Optimized)]
    public async Task AnUnknownOrderIsNotFoundAndABadIdABadRequest(string variant)
    {
        var ct = TestContext.Current.CancellationToken;

        using var unknown = await SendAsync(variant, 999_999_999, ct);
        using var bad = await topology.Orders.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/orders/abc/status").WithVariant(variant, Entry), ct);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private Task<HttpResponseMessage> SendAsync(string variant, long orderId, CancellationToken ct) =>
        topology.Orders.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/orders/{orderId}/status").WithVariant(variant, Entry), ct);
}
