using System.Net;
using PerfReference.IntegrationTests.Infrastructure;

namespace PerfReference.IntegrationTests.Domain;

[Collection(TopologyCollection.Name)]
public sealed class IdempotencyTests(TopologyFixture topology)
{
    [Fact]
    public async Task ARetriedCheckoutReturnsTheFirstOrderAndChargesOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var key = Checkouts.NewKey();

        var first = await topology.Orders.SendAsync(Checkouts.Request(21, [(1, 1), (2, 2)], key), ct);
        var retry = await topology.Orders.SendAsync(Checkouts.Request(21, [(2, 2), (1, 1)], key), ct); // same request, lines reordered

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        var firstOrder = await Checkouts.ReadOrderAsync(first, ct);
        var retriedOrder = await Checkouts.ReadOrderAsync(retry, ct);
        Assert.Equal(firstOrder.Id, retriedOrder.Id);
        Assert.Equal(firstOrder.Payment, retriedOrder.Payment);
        await AssertOneOrderAndOneChargeAsync(key, ct);
    }

    [Fact]
    public async Task ConcurrentCheckoutsWithOneKeyPlaceOneOrderAndChargeOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var key = Checkouts.NewKey();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            topology.Orders.SendAsync(Checkouts.Request(22, [(4, 1), (8, 3)], key), ct)));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{r.StatusCode}"));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var orders = await Task.WhenAll(responses.Select(r => Checkouts.ReadOrderAsync(r, ct)));
        Assert.Single(orders.Select(o => o.Id).Distinct());
        Assert.Single(orders.Select(o => o.Payment!.ProviderPaymentId).Distinct());
        await AssertOneOrderAndOneChargeAsync(key, ct);
    }

    [Fact]
    public async Task TheSameKeyWithAnotherRequestIsRefusedAndChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var key = Checkouts.NewKey();
        var first = await topology.Orders.SendAsync(Checkouts.Request(23, [(1, 1)], key), ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        var other = await topology.Orders.SendAsync(Checkouts.Request(23, [(1, 5)], key), ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        await AssertOneOrderAndOneChargeAsync(key, ct);
    }

    private async Task AssertOneOrderAndOneChargeAsync(string key, CancellationToken ct)
    {
        Assert.Equal(1, await topology.ScalarAsync("SELECT count(*) FROM orders WHERE idempotency_key = $1", ct, key));
        Assert.Equal(1, await topology.ScalarAsync("SELECT count(*) FROM payments WHERE idempotency_key = $1", ct, $"checkout:{key}"));
        // The provider recorded one authorisation and one capture for the key, never a second payment.
        Assert.True(await topology.Redis.KeyExistsAsync($"payments:idempotency:authorize:checkout:{key}"));
        var providerPayments = 0;
        await foreach (var _ in topology.RedisServer.KeysAsync(pattern: $"payments:idempotency:capture:checkout:{key}:capture"))
        {
            providerPayments++;
        }

        Assert.Equal(1, providerPayments);
    }
}
