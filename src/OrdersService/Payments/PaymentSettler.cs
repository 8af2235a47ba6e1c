using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PerfReference.CustomerGrains;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersDatabase.Payments;
using PerfReference.OrdersService.Infrastructure;
using PerfReference.Payments.V1;

namespace PerfReference.OrdersService.Payments;

/// <summary>
/// Moves one claimed payment on: a pending payment is authorised (with the checkout's idempotency
/// key, so an authorisation that did reach the provider during the outage is found, not repeated);
/// an authorised payment is captured (with its capture key, so a capture repeated after a crash or
/// by the naive checkout's own attempt charges once). Every placed order's loyalty is credited on
/// the way — idempotently, so the work a checkout could not finish after storing its order is
/// finished here. A transient failure schedules the next attempt with exponential backoff; a refusal ends it.
/// </summary>
public sealed class PaymentSettler(
    OrdersDbContext db,
    PaymentGateway payments,
    IGrainFactory grains,
    IOptions<PaymentWorkerOptions> options,
    TimeProvider clock,
    ILogger<PaymentSettler> logger)
{
    public async Task SettleAsync(long paymentRecordId, CancellationToken ct)
    {
        using var activity = OrdersTracing.Source.StartActivity("Settle payment");
        activity?.SetTag("payments.record_id", paymentRecordId);
        var payment = await db.Payments.Include(p => p.Order).SingleAsync(p => p.Id == paymentRecordId, ct);
        var order = payment.Order!;
        activity?.SetTag("payments.status", payment.Status.ToString());

        if (payment.Status is not (PaymentRecordStatus.Pending or PaymentRecordStatus.Authorized))
        {
            // Settled meanwhile (the naive checkout's own capture). Its entry is still due only if
            // the checkout could not credit the customer's loyalty: credit it now.
            try
            {
                if (payment.Status == PaymentRecordStatus.Captured)
                {
                    await CreditLoyaltyAsync(order);
                }

                payment.NextAttemptAt = null;
            }
            catch (Exception error) when (!ct.IsCancellationRequested)
            {
                RetryLater(payment, error);
            }

            await db.SaveChangesAsync(ct);
            return;
        }

        payment.Attempts++;
        try
        {
            if (payment.Status == PaymentRecordStatus.Authorized)
            {
                // Authorised on the request path: the checkout credited the loyalty unless that call
                // failed after the order was stored. Crediting again is safe; missing it is not.
                await CreditLoyaltyAsync(order);
                await CaptureAsync(order, payment, ct);
            }
            else if (await AuthorizeAsync(order, payment, ct))
            {
                await CaptureAsync(order, payment, ct);
            }
        }
        catch (RpcException error) when (PaymentResilience.IsRefusal(error.StatusCode))
        {
            Refused(order, payment, error);
        }
        catch (Exception error) when (!ct.IsCancellationRequested)
        {
            // The provider unavailable or the circuit open, but also the cluster or the database:
            // whatever did not say no is tried again.
            RetryLater(payment, error);
        }

        payment.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Authorises a pending payment; false when its key's authorisation turned out released, and it is due again under a new key.</summary>
    private async Task<bool> AuthorizeAsync(Order order, PaymentRecord payment, CancellationToken ct)
    {
        var authorization = await payments.AuthorizeAsync(payment.IdempotencyKey, order.CustomerId, payment.AmountMinor, ct);
        if (authorization.Status == PaymentStatus.Voided)
        {
            // The key replayed an authorisation the reconciler released: the checkout's own call
            // reached the provider, its answer did not come back in time, and the order was stored
            // after the reconciler's grace. The order stands; the released hold charged nothing.
            AuthorizeAgainLater(order, payment);
            return false;
        }

        // Credited before the authorisation is recorded: if the service dies in between, the next
        // attempt replays the authorisation and credits again, which the grain ignores for an order it has seen.
        await CreditLoyaltyAsync(order);
        payment.ProviderPaymentId = authorization.PaymentId;
        payment.Status = PaymentRecordStatus.Authorized;
        order.Status = OrderStatus.Placed;
        // Recorded now, so that a failed capture below keeps the authorisation.
        payment.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return true;
    }

    private async Task CaptureAsync(Order order, PaymentRecord payment, CancellationToken ct)
    {
        try
        {
            await payments.CaptureAsync(payment.ProviderPaymentId!, PaymentGateway.CaptureKey(payment.IdempotencyKey), ct);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.FailedPrecondition)
        {
            if (!await WasVoidedAsync(payment, ct))
            {
                throw;
            }

            // The reconciler released this authorisation before the order was stored: the checkout
            // took longer than the reconciler's grace. The order stands.
            AuthorizeAgainLater(order, payment);
            return;
        }

        payment.Status = PaymentRecordStatus.Captured;
        payment.NextAttemptAt = null;
        payment.LastError = null;
        order.Status = OrderStatus.Paid;
    }

    private async Task<bool> WasVoidedAsync(PaymentRecord payment, CancellationToken ct) =>
        (await payments.FindAsync(payment.ProviderPaymentId!, ct)).Status == PaymentStatus.Voided;

    /// <summary>
    /// A payment whose authorisation was released is authorised again under a key of its own, on
    /// the worker's next look: the key is stored first, so the reconciler finds it and leaves the new
    /// authorisation alone. The customer is charged once: the released hold charged nothing.
    /// </summary>
    private void AuthorizeAgainLater(Order order, PaymentRecord payment)
    {
        payment.IdempotencyKey = AgainKey(payment.IdempotencyKey);
        payment.ProviderPaymentId = null;
        payment.Status = PaymentRecordStatus.Pending;
        payment.NextAttemptAt = clock.GetUtcNow();
        logger.LogWarning("Payment {PaymentRecordId} of order {OrderId}: its authorisation was released before the order was stored; authorising it again", payment.Id, order.Id);
    }

    /// <summary>checkout:&lt;hash&gt; → checkout:&lt;hash&gt;:again-1 → checkout:&lt;hash&gt;:again-2 …</summary>
    private static string AgainKey(string key)
    {
        const string marker = ":again-";
        var at = key.LastIndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? key + marker + "1" : key[..at] + marker + (int.Parse(key[(at + marker.Length)..], System.Globalization.CultureInfo.InvariantCulture) + 1);
    }

    /// <summary>The customer's loyalty for a placed order; the grain ignores an order it has already recorded.</summary>
    private Task CreditLoyaltyAsync(Order order) =>
        grains.GetGrain<ICustomerGrain>(order.CustomerId).RecordOrderAsync(new OrderPlaced(order.Id, order.TotalMinor, order.CreatedAt));

    private void RetryLater(PaymentRecord payment, Exception error)
    {
        var delay = Backoff(payment.Attempts);
        payment.NextAttemptAt = clock.GetUtcNow() + delay;
        payment.LastError = Truncate($"{error.GetType().Name}: {error.Message}");
        logger.LogInformation("Payment {PaymentRecordId} ({Status}) could not be settled on attempt {Attempt}; next attempt in {Delay}: {Reason}",
            payment.Id, payment.Status, payment.Attempts, delay, error.Message);
    }

    /// <summary>The provider said no: a pending order is cancelled (nothing was charged); a capture refused needs an operator.</summary>
    private void Refused(Order order, PaymentRecord payment, RpcException error)
    {
        if (payment.Status == PaymentRecordStatus.Pending)
        {
            order.Status = OrderStatus.Cancelled;
        }

        logger.LogError(error, "The provider refused payment {PaymentRecordId} ({Status}) of order {OrderId}: {StatusCode}",
            payment.Id, payment.Status, order.Id, error.StatusCode);
        payment.Status = PaymentRecordStatus.Failed;
        payment.NextAttemptAt = null;
        payment.LastError = Truncate($"{error.StatusCode}: {error.Status.Detail}");
    }

    /// <summary>Exponential, capped, with jitter so that payments failed together do not come back together.</summary>
    private TimeSpan Backoff(int attempts)
    {
        var exponential = options.Value.RetryDelay * Math.Pow(2, Math.Min(attempts - 1, 16));
        var capped = exponential < options.Value.MaxRetryDelay ? exponential : options.Value.MaxRetryDelay;
        return capped * (0.8 + 0.4 * Random.Shared.NextDouble());
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500];
}
