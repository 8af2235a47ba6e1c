using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.Payments.V1;

namespace PerfReference.IntegrationTests.Domain;

/// <summary>
/// An authorisation left behind on purpose — taken at the provider with a checkout's kind of key,
/// as a checkout that died before storing its order would leave it — is released by the orders
/// service's reconciler once its grace period is over (the topology runs it with a 5 s grace).
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class ReconciliationTests(TopologyFixture topology)
{
    [Fact]
    public async Task AnAuthorisationWithoutAStoredOrderIsReleasedAndNoOtherIs()
    {
        var ct = TestContext.Current.CancellationToken;
        var orphan = await topology.Payments.AuthorizeAsync(new AuthorizeRequest
        {
            IdempotencyKey = Checkouts.PaymentKeyOf(Checkouts.NewKey()),
            CustomerReference = "customer-41",
            AmountMinor = 4_100,
            Currency = "EUR",
        }, cancellationToken: ct);
        using var placed = await topology.Orders.SendAsync(Checkouts.Request(41, [(5, 1)], Checkouts.NewKey()), ct);
        var order = await Checkouts.ReadPlacedAsync(placed, ct);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while ((await PaymentAsync(orphan.PaymentId, ct)).Status != PaymentStatus.Voided)
        {
            Assert.True(DateTime.UtcNow < deadline, "The orphaned authorisation was not released within 45 s.");
            await Task.Delay(500, ct);
        }

        // The order's own payment is captured, never voided.
        await OrderBooks.WaitUntilPaidAsync(topology.OrdersDb, [order.Id], TimeSpan.FromMinutes(1), ct);
        Assert.Equal(PaymentStatus.Captured, (await PaymentAsync(order.Payment!.ProviderPaymentId!, ct)).Status);
    }

    /// <summary>
    /// The race a busy machine runs into: a checkout's authorisation reaches the provider, its answer
    /// does not come back in time, the order is taken with its payment pending, and the reconciler
    /// releases the authorisation before the order is stored. The payment worker's authorisation then
    /// replays a voided one; the order stands, so it is authorised again under a key of its own and
    /// paid, once — never cancelled. Here the checkout is deferred, so the worker makes the first call.
    /// </summary>
    [Fact]
    public async Task AnOrderStoredAfterItsAuthorisationWasReleasedIsAuthorisedAgainAndPaidOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var key = Checkouts.NewKey();
        var released = await topology.Payments.AuthorizeAsync(new AuthorizeRequest
        {
            IdempotencyKey = Checkouts.PaymentKeyOf(key),
            CustomerReference = "customer-42",
            AmountMinor = 4_200,
            Currency = "EUR",
        }, cancellationToken: ct);
        await topology.Payments.VoidAsync(new VoidAuthorizationRequest { PaymentId = released.PaymentId, IdempotencyKey = $"void:{released.PaymentId}" }, cancellationToken: ct);

        using var request = Checkouts.Request(42, [(6, 1)], key);
        request.Headers.Add("X-Perf-Variant", "naive, payment-deferred=optimized");
        using var taken = await topology.Orders.SendAsync(request, ct);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, taken.StatusCode);
        var order = await Checkouts.ReadOrderAsync(taken, ct);

        await OrderBooks.WaitUntilPaidAsync(topology.OrdersDb, [order.Id], TimeSpan.FromMinutes(1), ct);
        await using var command = topology.OrdersDb.CreateCommand("SELECT idempotency_key, provider_payment_id FROM payments WHERE order_id = $1");
        command.Parameters.Add(new() { Value = order.Id });
        await using var row = await command.ExecuteReaderAsync(ct);
        Assert.True(await row.ReadAsync(ct));
        Assert.Equal(Checkouts.PaymentKeyOf(key) + ":again-1", row.GetString(0));
        var paid = await PaymentAsync(row.GetString(1), ct);
        Assert.Equal((PaymentStatus.Captured, order.TotalMinor), (paid.Status, paid.CapturedMinor));
        Assert.Equal(PaymentStatus.Voided, (await PaymentAsync(released.PaymentId, ct)).Status);
    }

    private async Task<Payment> PaymentAsync(string paymentId, CancellationToken ct) =>
        await topology.Payments.GetPaymentAsync(new GetPaymentRequest { PaymentId = paymentId }, cancellationToken: ct);
}
