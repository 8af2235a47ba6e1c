using Grpc.Core;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.Payments.V1;

namespace PerfReference.IntegrationTests.Topology;

[Collection(TopologyCollection.Name)]
public sealed class PaymentsGrpcTests(TopologyFixture topology)
{
    [Fact]
    public async Task AuthorizeOverGrpcIsStoredAndIdempotent()
    {
        var ct = TestContext.Current.CancellationToken;
        using var channel = topology.PaymentsChannel();
        var payments = new PaymentProvider.PaymentProviderClient(channel);
        var request = new AuthorizeRequest
        {
            IdempotencyKey = $"test-{Guid.NewGuid():N}",
            CustomerReference = "customer-1",
            AmountMinor = 1250,
            Currency = "EUR",
        };

        var first = await payments.AuthorizeAsync(request, cancellationToken: ct);
        var repeated = await payments.AuthorizeAsync(request, cancellationToken: ct);
        var lookedUp = await payments.GetPaymentAsync(new GetPaymentRequest { PaymentId = first.PaymentId }, cancellationToken: ct);

        Assert.Equal(PaymentStatus.Authorized, first.Status);
        Assert.False(first.Replayed);
        Assert.Equal(first.PaymentId, repeated.PaymentId);
        Assert.True(repeated.Replayed);
        Assert.Equal(1250, lookedUp.AmountMinor);
        Assert.Equal(first.PaymentId, lookedUp.PaymentId);
    }

    [Fact]
    public async Task InvalidAuthorizeIsInvalidArgumentWithDetail()
    {
        var ct = TestContext.Current.CancellationToken;
        using var channel = topology.PaymentsChannel();
        var payments = new PaymentProvider.PaymentProviderClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await payments.AuthorizeAsync(new AuthorizeRequest
        {
            IdempotencyKey = "k",
            CustomerReference = "customer-1",
            AmountMinor = -5,
            Currency = "EUR",
        }, cancellationToken: ct));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("amount_minor", error.Status.Detail);
    }
}
