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

    private async Task<Payment> PaymentAsync(string paymentId, CancellationToken ct) =>
        await topology.Payments.GetPaymentAsync(new GetPaymentRequest { PaymentId = paymentId }, cancellationToken: ct);
}
