using Grpc.Core;
using Microsoft.Extensions.Options;
using PerfReference.Payments.V1;

namespace PerfReference.OrdersService.Payments;

public sealed class PaymentGatewayOptions
{
    public const string SectionName = "Payments";

    /// <summary>How long one call to the provider may take before it is abandoned (a gRPC deadline).</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>The orders service's side of the payment provider's contract: every call carries an idempotency key and a deadline.</summary>
public sealed class PaymentGateway(PaymentProvider.PaymentProviderClient provider, IOptions<PaymentGatewayOptions> options, TimeProvider clock)
{
    public const string Currency = "EUR";

    public async Task<Payment> AuthorizeAsync(string idempotencyKey, long customerId, long amountMinor, CancellationToken ct) =>
        await provider.AuthorizeAsync(new AuthorizeRequest
        {
            IdempotencyKey = idempotencyKey,
            CustomerReference = $"customer-{customerId}",
            AmountMinor = amountMinor,
            Currency = Currency,
        }, deadline: Deadline(), cancellationToken: ct);

    public async Task<Payment> CaptureAsync(string paymentId, string idempotencyKey, CancellationToken ct) =>
        await provider.CaptureAsync(new CaptureRequest { PaymentId = paymentId, IdempotencyKey = idempotencyKey },
            deadline: Deadline(), cancellationToken: ct);

    private DateTime Deadline() => clock.GetUtcNow().UtcDateTime + options.Value.CallTimeout;

    /// <summary>Whether a failed call says the provider could not be reached or answer in time (as opposed to refusing the request).</summary>
    public static bool IsUnavailable(RpcException error) =>
        error.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted or StatusCode.Aborted;
}
