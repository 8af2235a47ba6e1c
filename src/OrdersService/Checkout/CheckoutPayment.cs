using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Microsoft.Extensions.Options;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersDatabase.Payments;
using PerfReference.OrdersService.Payments;
using PerfReference.Payments.V1;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Checkout;

/// <summary>How a checkout pays, in the three ways that two catalog entries give it.</summary>
public enum CheckoutPaymentMode
{
    /// <summary>payment-async naive: authorise, then (once the order is stored) capture, each a blocking call on the request thread.</summary>
    Blocking,

    /// <summary>payment-async optimized: an async authorisation through the resilience pipeline; the payment worker captures.</summary>
    Resilient,

    /// <summary>payment-deferred optimized: no call on the request path; the payment worker authorises and captures.</summary>
    Deferred,
}

/// <summary>What the checkout learnt from the provider: a payment, a refusal, or neither (not asked, or not reachable).</summary>
public sealed record CheckoutAuthorization(CheckoutPaymentMode Mode, Payment? Payment, CheckoutResult.Refused? Refusal)
{
    public bool IsAuthorized => Payment is not null;

    /// <summary>The capture is taken on the request path once the order is stored (blocking mode only).</summary>
    public bool CapturesInline => Mode == CheckoutPaymentMode.Blocking && IsAuthorized;
}

/// <summary>
/// The payment of a checkout: <c>payment-async</c> and <c>payment-deferred</c> in one component,
/// with the one switch at the top (<see cref="Mode"/>). The checkout asks it to authorise, stores
/// the order with the payment record it makes (the payments outbox's entry), then lets it finish:
/// a blocking checkout captures inline; otherwise the payment worker takes it from the outbox.
/// </summary>
public sealed class CheckoutPayment(
    PaymentGateway payments,
    OrderWriter writer,
    IPerfSwitch perf,
    IOptions<PaymentWorkerOptions> workerOptions,
    TimeProvider clock,
    ILogger<CheckoutPayment> logger)
{
    /// <summary>payment-deferred builds on payment-async: a checkout that does not call the provider has no call to make asynchronous.</summary>
    public CheckoutPaymentMode Mode =>
        perf.IsOptimized(PerfCatalog.PaymentDeferred) ? CheckoutPaymentMode.Deferred
        : perf.IsOptimized(PerfCatalog.PaymentAsync) ? CheckoutPaymentMode.Resilient
        : CheckoutPaymentMode.Blocking;

    /// <summary>
    /// The key a checkout's payment carries to the provider (and its record in the outbox): the
    /// client's Idempotency-Key hashed, so a retried checkout authorises once, and a key of any
    /// length the API accepts fits the provider's 128 characters and the record's column
    /// (73 characters, 82 with the capture's suffix). A checkout without a key gets a random one.
    /// </summary>
    public static string IdempotencyKeyFor(string? checkoutKey) =>
        $"checkout:{(checkoutKey is null ? Guid.NewGuid().ToString("N") : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(checkoutKey))))}";

    public async Task<CheckoutAuthorization> AuthorizeAsync(string paymentKey, long customerId, long amountMinor, CancellationToken ct) => Mode switch
    {
        CheckoutPaymentMode.Deferred => new(CheckoutPaymentMode.Deferred, null, null),
        CheckoutPaymentMode.Resilient => await AuthorizeResilientAsync(paymentKey, customerId, amountMinor, ct),
        _ => AuthorizeBlocking(paymentKey, customerId, amountMinor, ct),
    };

    /// <summary>The payment's record, stored with its order: the outbox entry the payment worker settles from.</summary>
    public PaymentRecord NewRecord(CheckoutAuthorization authorization, Order order, string paymentKey, DateTimeOffset now) => new()
    {
        Order = order,
        IdempotencyKey = paymentKey,
        ProviderPaymentId = authorization.Payment?.PaymentId,
        Status = authorization.IsAuthorized ? PaymentRecordStatus.Authorized : PaymentRecordStatus.Pending,
        AmountMinor = order.TotalMinor,
        // The authorisation made on the request path is the first attempt; a payment still pending has had none.
        Attempts = authorization.IsAuthorized ? 1 : 0,
        CreatedAt = now,
        UpdatedAt = now,
        // The worker captures it (or authorises, then captures it) from this time on. A checkout that
        // captures inline gives itself a grace period first.
        NextAttemptAt = authorization.CapturesInline ? now + workerOptions.Value.InlineCaptureGrace : now,
    };

    /// <summary>
    /// After the order is stored: the capture, when this checkout takes it inline; otherwise the
    /// worker takes it. Failures here fail nothing: the outbox entry stays due and the worker
    /// finishes it. <paramref name="loyaltyCredited"/> says whether the checkout credited the
    /// customer; if not, the entry stays due even when the capture succeeds, for the worker to credit it.
    /// </summary>
    public async Task FinishAsync(CheckoutAuthorization authorization, Order order, PaymentRecord payment, bool loyaltyCredited, CancellationToken ct)
    {
        if (authorization.CapturesInline)
        {
            await CaptureBlockingAsync(order, payment, loyaltyCredited, ct);
        }
    }

    /// <summary>Naive: the provider's answer or its refusal, waited for on this thread, with only the long deadline.</summary>
    private CheckoutAuthorization AuthorizeBlocking(string paymentKey, long customerId, long amountMinor, CancellationToken ct)
    {
        try
        {
            return Answered(CheckoutPaymentMode.Blocking, payments.AuthorizeBlocking(paymentKey, customerId, amountMinor, ct));
        }
        catch (RpcException error)
        {
            logger.LogWarning(error, "Authorising {Amount} for customer {CustomerId} failed: {Status}", amountMinor, customerId, error.StatusCode);
            return new(CheckoutPaymentMode.Blocking, null, Refused(error));
        }
    }

    /// <summary>
    /// Optimized: the provider's answer, its refusal, or — when it cannot be reached even after the
    /// retries, the circuit is open, or the call broke without an answer — neither: the order is then
    /// taken with its payment pending, and the worker authorises it later with the same idempotency
    /// key, so it is charged once.
    /// </summary>
    private async Task<CheckoutAuthorization> AuthorizeResilientAsync(string paymentKey, long customerId, long amountMinor, CancellationToken ct)
    {
        try
        {
            return Answered(CheckoutPaymentMode.Resilient, await payments.AuthorizeAsync(paymentKey, customerId, amountMinor, ct));
        }
        catch (RpcException error) when (PaymentResilience.IsRefusal(error.StatusCode))
        {
            logger.LogWarning(error, "Authorising {Amount} for customer {CustomerId} was refused: {Status}", amountMinor, customerId, error.StatusCode);
            return new(CheckoutPaymentMode.Resilient, null, Refused(error));
        }
        catch (Exception error) when (error is RpcException || PaymentResilience.IsUnavailable(error))
        {
            logger.LogWarning(error, "The payment provider gave no answer ({Reason}); taking the order of customer {CustomerId} with its payment pending",
                error is RpcException rpc ? rpc.StatusCode.ToString() : error.GetType().Name, customerId);
            return new(CheckoutPaymentMode.Resilient, null, null);
        }
    }

    /// <summary>
    /// Naive: takes the authorised money before answering. The order is already taken, so a failed
    /// capture — or a capture the database could not record — leaves the payment Authorized in our
    /// records, for the payment worker to capture (with the same capture key: charged once) after
    /// the grace period, rather than failing the checkout.
    /// </summary>
    private async Task CaptureBlockingAsync(Order order, PaymentRecord payment, bool loyaltyCredited, CancellationToken ct)
    {
        try
        {
            payments.CaptureBlocking(payment.ProviderPaymentId!, PaymentGateway.CaptureKey(payment.IdempotencyKey), ct);
        }
        catch (RpcException error)
        {
            logger.LogWarning(error, "Capturing payment {PaymentId} of order {OrderId} failed; it stays authorised", payment.ProviderPaymentId, order.Id);
            return;
        }

        var before = (payment.Status, payment.UpdatedAt, payment.NextAttemptAt, order.Status);
        payment.Status = PaymentRecordStatus.Captured;
        payment.UpdatedAt = clock.GetUtcNow();
        payment.NextAttemptAt = loyaltyCredited ? null : payment.UpdatedAt; // still owed: the loyalty credit
        order.Status = OrderStatus.Paid;
        try
        {
            await writer.RecordCaptureAsync(order, payment, ct);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Captured at the provider but not in our records: the answer must say what is stored.
            (payment.Status, payment.UpdatedAt, payment.NextAttemptAt, order.Status) = before;
            logger.LogWarning(error, "Recording the capture of payment {PaymentId} of order {OrderId} failed; the payment worker records it", payment.ProviderPaymentId, order.Id);
        }
    }

    /// <summary>
    /// The provider's answer to an authorisation. A retried checkout replays its first authorisation,
    /// which the reconciler may have voided meanwhile (the checkout was abandoned long enough): that
    /// key can no longer pay.
    /// </summary>
    private static CheckoutAuthorization Answered(CheckoutPaymentMode mode, Payment payment) => payment.Status == PaymentStatus.Voided
        ? new(mode, null, new(StatusCodes.Status409Conflict, "Payment released",
            "This Idempotency-Key's authorisation was released after its checkout was abandoned, so nothing was charged and no order was placed. Place the order again with a new Idempotency-Key."))
        : new(mode, payment, null);

    /// <summary>
    /// A refusal is final (502). Anything else is the provider not answering (503): the client retries with the same
    /// Idempotency-Key, which replays an authorisation that did go through rather than making another.
    /// </summary>
    private static CheckoutResult.Refused Refused(RpcException error) => PaymentResilience.IsRefusal(error.StatusCode)
        ? new(StatusCodes.Status502BadGateway, "Payment refused",
            $"The payment provider refused the payment ({error.StatusCode}: {error.Status.Detail}). No order was placed.")
        : new(StatusCodes.Status503ServiceUnavailable, "Payment provider unavailable",
            $"The payment provider could not be reached or did not answer ({error.StatusCode}). No order was placed and nothing was charged; retry with the same Idempotency-Key.",
            RetryAfter: TimeSpan.FromSeconds(1));
}
