using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using PerfReference.OrdersDatabase;
using PerfReference.Payments.V1;
using Polly;
using Polly.CircuitBreaker;

using PerfReference.Topology;

namespace PerfReference.OrdersService.Payments;

public sealed class PaymentGatewayOptions
{
    public const string SectionName = "Payments";

    /// <summary>How long one blocking call to the provider may take before it is abandoned (a gRPC deadline).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// The orders service's side of the payment provider's contract: every call carries an idempotency
/// key. Two ways to call, side by side for the <c>payment-async</c> catalog entry: blocking calls
/// with only a long deadline (the code as first written), and asynchronous calls through the
/// payments resilience pipeline (<see cref="PaymentResilience"/>).
/// </summary>
public sealed class PaymentGateway(
    PaymentProvider.PaymentProviderClient provider,
    [FromKeyedServices(PaymentResilience.PipelineKey)] ResiliencePipeline resilience,
    PaymentCircuit circuit,
    IOptions<PaymentGatewayOptions> options,
    TimeProvider clock)
{
    /// <summary>The key of a payment's capture, derived from its authorisation's key so that every capture attempt repeats it.</summary>
    public static string CaptureKey(string authorizationKey) => $"{authorizationKey}:capture";

    /// <summary>
    /// Naive: the synchronous client method. The calling thread — a thread-pool thread, on the
    /// request path — waits, doing nothing, until the provider answers or the deadline passes.
    /// </summary>
    public Payment AuthorizeBlocking(string idempotencyKey, long customerId, long amountMinor, CancellationToken ct) =>
        provider.Authorize(AuthorizeRequest(idempotencyKey, customerId, amountMinor), deadline: Deadline(), cancellationToken: ct);

    /// <inheritdoc cref="AuthorizeBlocking"/>
    public Payment CaptureBlocking(string paymentId, string idempotencyKey, CancellationToken ct) =>
        provider.Capture(CaptureRequest(paymentId, idempotencyKey), deadline: Deadline(), cancellationToken: ct);

    /// <summary>Optimized: asynchronous, with the pipeline's timeouts, retries and circuit breaker.</summary>
    public Task<Payment> AuthorizeAsync(string idempotencyKey, long customerId, long amountMinor, CancellationToken ct) =>
        ResilientAsync(static (provider, request, token) => provider.AuthorizeAsync(request, cancellationToken: token),
            AuthorizeRequest(idempotencyKey, customerId, amountMinor), ct);

    /// <inheritdoc cref="AuthorizeAsync"/>
    public Task<Payment> CaptureAsync(string paymentId, string idempotencyKey, CancellationToken ct) =>
        ResilientAsync(static (provider, request, token) => provider.CaptureAsync(request, cancellationToken: token),
            CaptureRequest(paymentId, idempotencyKey), ct);

    /// <summary>A payment as the provider holds it now.</summary>
    public Task<Payment> FindAsync(string paymentId, CancellationToken ct) =>
        ResilientAsync(static (provider, request, token) => provider.GetPaymentAsync(request, cancellationToken: token),
            new GetPaymentRequest { PaymentId = paymentId }, ct);

    /// <summary>Releases an authorisation that will not be captured; repeating it with the same key changes nothing.</summary>
    public Task<Payment> VoidAsync(string paymentId, string idempotencyKey, CancellationToken ct) =>
        ResilientAsync(static (provider, request, token) => provider.VoidAsync(request, cancellationToken: token),
            new VoidAuthorizationRequest { PaymentId = paymentId, IdempotencyKey = idempotencyKey }, ct);

    /// <summary>The provider's payments in <paramref name="status"/> created in [<paramref name="from"/>, <paramref name="before"/>), page after page.</summary>
    public async IAsyncEnumerable<Payment> ListAsync(PaymentStatus status, DateTimeOffset from, DateTimeOffset before, [EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListPaymentsRequest
        {
            Status = status,
            CreatedFrom = Timestamp.FromDateTimeOffset(from),
            CreatedBefore = Timestamp.FromDateTimeOffset(before),
            PageSize = 500,
        };
        do
        {
            var page = await ResilientAsync(static (provider, request, token) => provider.ListPaymentsAsync(request, cancellationToken: token), request, ct);
            foreach (var payment in page.Payments)
            {
                yield return payment;
            }

            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
    }

    private async Task<TResponse> ResilientAsync<TRequest, TResponse>(
        Func<PaymentProvider.PaymentProviderClient, TRequest, CancellationToken, AsyncUnaryCall<TResponse>> call, TRequest request, CancellationToken ct)
    {
        try
        {
            return await resilience.ExecuteAsync(static async (state, token) =>
            {
                try
                {
                    return await state.call(state.provider, state.request, token);
                }
                catch (RpcException error) when (error.StatusCode == StatusCode.Cancelled && token.IsCancellationRequested)
                {
                    // gRPC reports a cancelled call as a status; the pipeline's timeouts recognise
                    // their own cancellation only as an OperationCanceledException.
                    throw new OperationCanceledException(error.Message, error, token);
                }
            }, (provider, call, request), ct);
        }
        catch (BrokenCircuitException)
        {
            circuit.RecordRejectedCall();
            throw;
        }
    }

    private static AuthorizeRequest AuthorizeRequest(string idempotencyKey, long customerId, long amountMinor) => new()
    {
        IdempotencyKey = idempotencyKey,
        CustomerReference = PaymentReferences.Customer(customerId),
        AmountMinor = amountMinor,
        Currency = OrdersDbContext.Currency,
    };

    private static CaptureRequest CaptureRequest(string paymentId, string idempotencyKey) =>
        new() { PaymentId = paymentId, IdempotencyKey = idempotencyKey };

    private DateTime Deadline() => clock.GetUtcNow().UtcDateTime + options.Value.CallTimeout;
}
