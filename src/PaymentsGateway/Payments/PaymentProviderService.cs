using Grpc.Core;
using PerfReference.Payments.V1;

namespace PerfReference.PaymentsGateway.Payments;

/// <summary>
/// The provider's gRPC surface: validates requests, plays the provider's latency and faults (a look-up's latency for
/// GetPayment and ListPayments, a payment's for the rest), then acts on the store.
/// </summary>
public sealed class PaymentProviderService(PaymentStore store, ProviderSimulation simulation) : PaymentProvider.PaymentProviderBase
{
    public override async Task<Payment> Authorize(AuthorizeRequest request, ServerCallContext context)
    {
        PaymentRequestValidation.Validate(request);
        await simulation.BeforeCallAsync(context.CancellationToken);
        return await store.AuthorizeAsync(request);
    }

    public override async Task<Payment> Capture(CaptureRequest request, ServerCallContext context)
    {
        PaymentRequestValidation.Validate(request);
        await simulation.BeforeCallAsync(context.CancellationToken);
        return await store.CaptureAsync(request);
    }

    public override async Task<Payment> Refund(RefundRequest request, ServerCallContext context)
    {
        PaymentRequestValidation.Validate(request);
        await simulation.BeforeCallAsync(context.CancellationToken);
        return await store.RefundAsync(request);
    }

    public override async Task<Payment> Void(VoidAuthorizationRequest request, ServerCallContext context)
    {
        PaymentRequestValidation.Validate(request);
        await simulation.BeforeCallAsync(context.CancellationToken);
        return await store.VoidAsync(request);
    }

    public override async Task<PaymentPage> ListPayments(ListPaymentsRequest request, ServerCallContext context)
    {
        var (from, before, pageSize, offset) = PaymentRequestValidation.Validate(request);
        await simulation.BeforeReadAsync(context.CancellationToken);
        return await store.ListAsync(from, before, request.Status, pageSize, offset);
    }

    public override async Task<Payment> GetPayment(GetPaymentRequest request, ServerCallContext context)
    {
        PaymentRequestValidation.RequirePaymentId(request.PaymentId);
        await simulation.BeforeReadAsync(context.CancellationToken);
        return await store.FindAsync(request.PaymentId)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"No payment {request.PaymentId}."));
    }
}
