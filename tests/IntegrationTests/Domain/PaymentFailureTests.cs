using System.Net;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.Payments.V1;

namespace PerfReference.IntegrationTests.Domain;

[Collection(TopologyCollection.Name)]
public sealed class PaymentFailureTests(TopologyFixture topology)
{
    [Fact]
    public async Task WhenThePaymentProviderFailsNoOrderIsPlacedAndNothingIsCharged()
    {
        var ct = TestContext.Current.CancellationToken;
        var key = Checkouts.NewKey();
        var ordersBefore = await topology.ScalarAsync("SELECT count(*) FROM orders", ct);
        await topology.WaitUntilPaymentsCircuitClosedAsync(ct);
        await topology.SetPaymentsBehaviourAsync(new ProviderBehaviour { LatencyMs = 0, ErrorRate = 1 }, ct);
        try
        {
            using var response = await topology.Orders.SendAsync(Checkouts.Request(31, [(1, 1), (2, 1)], key), ct);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("nothing was charged", await response.Content.ReadAsStringAsync(ct));
        }
        finally
        {
            await topology.ResetPaymentsBehaviourAsync();
        }

        Assert.Equal(ordersBefore, await topology.ScalarAsync("SELECT count(*) FROM orders", ct));
        Assert.Equal(0, await topology.ScalarAsync("SELECT count(*) FROM payments WHERE idempotency_key = $1", ct, Checkouts.PaymentKeyOf(key)));
        Assert.False(await topology.Redis.KeyExistsAsync($"payments:idempotency:authorize:{Checkouts.PaymentKeyOf(key)}"));
        await topology.WaitUntilPaymentsCircuitClosedAsync(ct); // the reconciler's failed calls may have opened it

        // Once the provider is back, the same key places the order (and charges) exactly once.
        using var retry = await topology.Orders.SendAsync(Checkouts.Request(31, [(1, 1), (2, 1)], key), ct);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(1, await topology.ScalarAsync("SELECT count(*) FROM orders WHERE idempotency_key = $1", ct, key));
    }

    [Fact]
    public async Task DuringAnOutageWindowCheckoutsAreRefusedWith503()
    {
        var ct = TestContext.Current.CancellationToken;
        await topology.SetPaymentsBehaviourAsync(new ProviderBehaviour { LatencyMs = 0, OutageSeconds = 60 }, ct);
        try
        {
            using var response = await topology.Orders.SendAsync(Checkouts.Request(32, [(3, 1)], Checkouts.NewKey()), ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }
        finally
        {
            await topology.ResetPaymentsBehaviourAsync();
        }

        await topology.WaitUntilPaymentsCircuitClosedAsync(ct); // the reconciler's failed calls may have opened it
    }

    /// <summary>
    /// A look-up (GetPayment, ListPayments) has a latency of its own, shorter than a payment's: the one the seed's
    /// thread-pool lesson counts with. A caller that does not name it (a drill making the provider slow) keeps it.
    /// </summary>
    [Fact]
    public async Task ALookUpHasItsOwnLatencyWhichACallerThatDoesNotNameItKeeps()
    {
        var ct = TestContext.Current.CancellationToken;
        try
        {
            var kept = await topology.SetPaymentsBehaviourAsync(new ProviderBehaviour { LatencyMs = 400 }, ct);
            var changed = await topology.SetPaymentsBehaviourAsync(new ProviderBehaviour { LatencyMs = 400, ReadLatencyMs = 150 }, ct);
            var outOfRange = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() =>
                topology.SetPaymentsBehaviourAsync(new ProviderBehaviour { ReadLatencyMs = -1 }, ct));

            Assert.Equal((400, TopologyFixture.DefaultPaymentsBehaviour.ReadLatencyMs), (kept.LatencyMs, kept.ReadLatencyMs));
            Assert.Equal((400, 150), (changed.LatencyMs, changed.ReadLatencyMs));
            Assert.Contains("read_latency_ms", outOfRange.Status.Detail);
        }
        finally
        {
            await topology.ResetPaymentsBehaviourAsync();
        }
    }

    [Fact]
    public async Task TheAdminServiceRefusesAWrongKeyAndOutOfRangeValues()
    {
        var ct = TestContext.Current.CancellationToken;

        var wrongKey = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await topology.PaymentsAdmin.SetBehaviourAsync(
            new ProviderBehaviour { LatencyMs = 1 }, new Grpc.Core.Metadata { { "x-admin-key", "wrong" } }, cancellationToken: ct));
        var outOfRange = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() =>
            topology.SetPaymentsBehaviourAsync(new ProviderBehaviour { ErrorRate = 2 }, ct));

        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, wrongKey.StatusCode);
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, outOfRange.StatusCode);
        Assert.Contains("error_rate", outOfRange.Status.Detail);
    }
}
