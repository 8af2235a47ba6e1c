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
        var payments = topology.Payments;
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
        var payments = topology.Payments;

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

    [Fact]
    public async Task CaptureThenRefundAreIdempotentAndARefundCannotExceedTheCapture()
    {
        var ct = TestContext.Current.CancellationToken;
        var payments = topology.Payments;
        var authorized = await payments.AuthorizeAsync(new AuthorizeRequest
        {
            IdempotencyKey = $"test-{Guid.NewGuid():N}", CustomerReference = "customer-2", AmountMinor = 5000, Currency = "EUR",
        }, cancellationToken: ct);

        var captureKey = $"capture-{Guid.NewGuid():N}";
        var captured = await payments.CaptureAsync(new CaptureRequest { PaymentId = authorized.PaymentId, IdempotencyKey = captureKey }, cancellationToken: ct);
        var capturedAgain = await payments.CaptureAsync(new CaptureRequest { PaymentId = authorized.PaymentId, IdempotencyKey = captureKey }, cancellationToken: ct);
        var refundKey = $"refund-{Guid.NewGuid():N}";
        var refunded = await payments.RefundAsync(new RefundRequest { PaymentId = authorized.PaymentId, IdempotencyKey = refundKey, AmountMinor = 2000 }, cancellationToken: ct);
        var refundedAgain = await payments.RefundAsync(new RefundRequest { PaymentId = authorized.PaymentId, IdempotencyKey = refundKey, AmountMinor = 2000 }, cancellationToken: ct);
        var tooMuch = await Assert.ThrowsAsync<RpcException>(async () => await payments.RefundAsync(
            new RefundRequest { PaymentId = authorized.PaymentId, IdempotencyKey = $"refund-{Guid.NewGuid():N}", AmountMinor = 3001 }, cancellationToken: ct));
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await payments.CaptureAsync(
            new CaptureRequest { PaymentId = "pay_unknown", IdempotencyKey = "k" }, cancellationToken: ct));

        Assert.Equal(PaymentStatus.Captured, captured.Status);
        Assert.Equal(5000, captured.CapturedMinor);
        Assert.True(capturedAgain.Replayed);
        Assert.Equal(2000, refunded.RefundedMinor);
        Assert.True(refundedAgain.Replayed);
        Assert.Equal(2000, (await payments.GetPaymentAsync(new GetPaymentRequest { PaymentId = authorized.PaymentId }, cancellationToken: ct)).RefundedMinor);
        Assert.Equal(StatusCode.FailedPrecondition, tooMuch.StatusCode);
        Assert.Contains("exceeds", tooMuch.Status.Detail);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task AnAuthorisationCanBeVoidedOnceAndThenNotCapturedAndTheListShowsIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var payments = topology.Payments;
        var key = $"test-{Guid.NewGuid():N}";
        var authorized = await payments.AuthorizeAsync(new AuthorizeRequest { IdempotencyKey = key, CustomerReference = "customer-3", AmountMinor = 700, Currency = "EUR" }, cancellationToken: ct);

        var voided = await payments.VoidAsync(new VoidAuthorizationRequest { PaymentId = authorized.PaymentId, IdempotencyKey = $"void-{key}" }, cancellationToken: ct);
        var voidedAgain = await payments.VoidAsync(new VoidAuthorizationRequest { PaymentId = authorized.PaymentId, IdempotencyKey = $"void-{key}" }, cancellationToken: ct);
        var capture = await Assert.ThrowsAsync<RpcException>(async () =>
            await payments.CaptureAsync(new CaptureRequest { PaymentId = authorized.PaymentId, IdempotencyKey = $"capture-{key}" }, cancellationToken: ct));
        var replayedAuthorization = await payments.AuthorizeAsync(new AuthorizeRequest { IdempotencyKey = key, CustomerReference = "customer-3", AmountMinor = 700, Currency = "EUR" }, cancellationToken: ct);

        Assert.Equal((PaymentStatus.Voided, key), (voided.Status, voided.AuthorizationKey));
        Assert.True(voidedAgain.Replayed);
        Assert.Equal(StatusCode.FailedPrecondition, capture.StatusCode);
        Assert.Equal(PaymentStatus.Voided, replayedAuthorization.Status); // a replay tells how the payment is now
        var listed = await payments.ListPaymentsAsync(new ListPaymentsRequest
        {
            Status = PaymentStatus.Voided,
            CreatedFrom = authorized.CreatedAt,
            CreatedBefore = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(authorized.CreatedAt.ToDateTimeOffset().AddMilliseconds(1)),
        }, cancellationToken: ct);
        Assert.Contains(listed.Payments, p => p.PaymentId == authorized.PaymentId);
        Assert.All(listed.Payments, p => Assert.Equal(PaymentStatus.Voided, p.Status));
    }

    [Theory]
    [InlineData(-1, "")]
    [InlineData(1001, "")]
    [InlineData(10, "not-a-token")]
    public async Task AListRequestItCannotServeIsInvalidArgument(int pageSize, string token)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await topology.Payments.ListPaymentsAsync(
            new ListPaymentsRequest { PageSize = pageSize, PageToken = token }, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
