using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PerfReference.CustomerGrains;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersDatabase.Payments;
using PerfReference.OrdersService.Orders;
using PerfReference.OrdersService.Payments;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Checkout;

/// <summary>
/// Places an order: reads the customer through its grain, prices the lines, authorises the payment,
/// stores order, lines and payment record in one transaction (<see cref="OrderWriter"/>), captures the payment (inline when
/// naive, by the payment worker when optimized), and credits the customer's loyalty. A refused or
/// failed checkout writes nothing and charges nothing.
/// </summary>
public sealed class CheckoutService(
    OrdersDbContext db,
    IGrainFactory grains,
    OrderLinePricer pricer,
    OrderWriter writer,
    OrderReader orders,
    PaymentGateway payments,
    IOptions<PaymentWorkerOptions> workerOptions,
    TimeProvider clock,
    ILogger<CheckoutService> logger)
{
    public async Task<CheckoutResult> CheckoutAsync(long customerId, IReadOnlyList<(long ProductId, int Quantity)> lines, string? idempotencyKey, CancellationToken ct)
    {
        var requestHash = CheckoutRequestHash.Compute(customerId, lines);
        if (idempotencyKey is not null && await ReplayAsync(idempotencyKey, requestHash, ct) is { } replay)
        {
            return replay;
        }

        var customerGrain = grains.GetGrain<ICustomerGrain>(customerId);
        var customer = await customerGrain.GetProfileAsync();
        if (customer is null)
        {
            return new CheckoutResult.Refused(StatusCodes.Status422UnprocessableEntity, "Unknown customer", $"No customer has id {customerId}.");
        }

        var priced = await pricer.PriceAsync(lines, ct);
        if (priced.UnknownProductIds.Count > 0)
        {
            return new CheckoutResult.Refused(StatusCodes.Status422UnprocessableEntity, "Unknown product",
                $"These products do not exist or are not for sale: {string.Join(", ", priced.UnknownProductIds)}.");
        }

        var subtotal = priced.SubtotalMinor;
        var discount = subtotal * customer.DiscountPercent / 100;
        var total = subtotal - discount;
        var paymentKey = $"checkout:{idempotencyKey ?? Guid.NewGuid().ToString("N")}";

        // payment-async: naive blocks this thread on the provider, twice (authorise, then capture);
        // optimized awaits the authorisation through the resilience pipeline and leaves the capture
        // to the payment worker. payment-deferred: the checkout does not wait for the provider at
        // all — the order is accepted with its payment pending and the worker authorises it.
        var deferred = PerfRequest.IsOptimized(PerfCatalog.PaymentDeferred);
        var captureInline = !deferred && !PerfRequest.IsOptimized(PerfCatalog.PaymentAsync);
        var authorization = deferred ? Authorization.Deferred
            : captureInline ? AuthorizeBlocking(paymentKey, customerId, total, ct)
            : await AuthorizeResilientAsync(paymentKey, customerId, total, ct);
        if (authorization.Refusal is { } refusal)
        {
            return refusal;
        }

        var now = PostgresPrecision(clock.GetUtcNow());
        var taken = authorization.Payment is not null;
        var order = new Order
        {
            CustomerId = customerId,
            Status = taken ? OrderStatus.Placed : OrderStatus.PendingPayment,
            SubtotalMinor = subtotal,
            DiscountMinor = discount,
            TotalMinor = total,
            CreatedAt = now,
            IdempotencyKey = idempotencyKey,
            RequestHash = requestHash,
            Lines = priced.Lines.Select(line => new OrderLine
            {
                ProductId = line.Product.Id,
                Quantity = line.Quantity,
                UnitPriceMinor = line.Product.PriceMinor,
                LineTotalMinor = line.LineTotalMinor,
            }).ToList(),
        };
        var payment = new PaymentRecord
        {
            Order = order,
            IdempotencyKey = paymentKey,
            ProviderPaymentId = authorization.Payment?.PaymentId,
            Status = taken ? PaymentRecordStatus.Authorized : PaymentRecordStatus.Pending,
            AmountMinor = total,
            Attempts = 1,
            CreatedAt = now,
            UpdatedAt = now,
            // The outbox entry: the payment worker captures it (or authorises, then captures it)
            // from this time on. A checkout that captures inline gives itself a grace period first.
            NextAttemptAt = captureInline ? now + workerOptions.Value.InlineCaptureGrace : now,
        };

        try
        {
            await writer.InsertAsync(order, payment, ct); // one transaction: order, lines and payment record, or nothing
        }
        catch (Exception error) when (idempotencyKey is not null && OrderWriter.IsUniqueViolation(error))
        {
            // A concurrent checkout with the same key won the race. The provider saw the same key
            // too, so it authorised once; answer with the winner's order.
            db.ChangeTracker.Clear();
            return await ReplayAsync(idempotencyKey, requestHash, ct)
                ?? throw new InvalidOperationException($"Checkout {idempotencyKey} conflicted but its order cannot be found.", error);
        }

        if (captureInline)
        {
            await CaptureBlockingAsync(order, payment, ct);
        }

        var details = OrderDetails.From(order, priced.Lines.ToDictionary(l => l.Product.Id, l => l.Product), payment);
        if (!taken)
        {
            // The loyalty credit waits for the authorisation: the worker records it then.
            return new CheckoutResult.Accepted(details);
        }

        await customerGrain.RecordOrderAsync(new OrderPlaced(order.Id, total, now));
        return new CheckoutResult.Placed(details);
    }

    /// <summary>Naive: the provider's answer or its refusal, waited for on this thread, with only the long deadline.</summary>
    private Authorization AuthorizeBlocking(string paymentKey, long customerId, long total, CancellationToken ct)
    {
        try
        {
            return new(payments.AuthorizeBlocking(paymentKey, customerId, total, ct), null);
        }
        catch (RpcException error)
        {
            logger.LogWarning(error, "Authorising {Amount} for customer {CustomerId} failed: {Status}", total, customerId, error.StatusCode);
            return new(null, PaymentRefused(error));
        }
    }

    /// <summary>
    /// Optimized: the provider's answer, its refusal, or — when it cannot be reached even after the
    /// retries, or the circuit is open — neither: the order is then taken with its payment pending,
    /// and the worker authorises it later with the same idempotency key, so it is charged once.
    /// </summary>
    private async Task<Authorization> AuthorizeResilientAsync(string paymentKey, long customerId, long total, CancellationToken ct)
    {
        try
        {
            return new(await payments.AuthorizeAsync(paymentKey, customerId, total, ct), null);
        }
        catch (Exception error) when (PaymentResilience.IsUnavailable(error))
        {
            logger.LogWarning("The payment provider is unavailable ({Reason}); taking the order of customer {CustomerId} with its payment pending",
                error.GetType().Name, customerId);
            return new(null, null);
        }
        catch (RpcException error)
        {
            logger.LogWarning(error, "Authorising {Amount} for customer {CustomerId} failed: {Status}", total, customerId, error.StatusCode);
            return new(null, PaymentRefused(error));
        }
    }

    /// <summary>
    /// Naive: takes the authorised money before answering. The order is already taken, so a failed
    /// capture leaves it Placed with its payment Authorized, for the payment worker to capture after
    /// the grace period, rather than failing the checkout.
    /// </summary>
    private async Task CaptureBlockingAsync(Order order, PaymentRecord payment, CancellationToken ct)
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

        payment.Status = PaymentRecordStatus.Captured;
        payment.UpdatedAt = clock.GetUtcNow();
        payment.NextAttemptAt = null;
        order.Status = OrderStatus.Paid;
        await writer.RecordCaptureAsync(order, payment, ct);
    }

    private async Task<CheckoutResult?> ReplayAsync(string idempotencyKey, string requestHash, CancellationToken ct)
    {
        var existing = await db.Orders.AsNoTracking()
            .Where(o => o.IdempotencyKey == idempotencyKey)
            .Select(o => new { o.Id, o.RequestHash })
            .SingleOrDefaultAsync(ct);
        if (existing is null)
        {
            return null;
        }

        if (existing.RequestHash != requestHash)
        {
            return new CheckoutResult.Refused(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                "This Idempotency-Key was already used for a different checkout request; use a new key for a new order.");
        }

        return new CheckoutResult.Replayed((await orders.FindAsync(existing.Id, ct))!);
    }

    private static CheckoutResult.Refused PaymentRefused(RpcException error) => PaymentResilience.IsTransient(error.StatusCode)
        ? new(StatusCodes.Status503ServiceUnavailable, "Payment provider unavailable",
            $"The payment provider could not be reached or did not answer in time ({error.StatusCode}). No order was placed and nothing was charged; retry with the same Idempotency-Key.",
            RetryAfter: TimeSpan.FromSeconds(1))
        : new(StatusCodes.Status502BadGateway, "Payment refused",
            $"The payment provider refused the payment ({error.StatusCode}: {error.Status.Detail}). No order was placed.");

    /// <summary>PostgreSQL keeps microseconds: the order we answer with must equal the order a replay reads back.</summary>
    private static DateTimeOffset PostgresPrecision(DateTimeOffset time) =>
        new(time.Ticks - time.Ticks % (TimeSpan.TicksPerMillisecond / 1000), time.Offset);

    /// <summary>What the provider said to an authorisation: a payment, a refusal, or (neither) that it was not or could not be asked.</summary>
    private readonly record struct Authorization(PerfReference.Payments.V1.Payment? Payment, CheckoutResult.Refused? Refusal)
    {
        /// <summary>Not asked on the request path: the payment worker authorises the order later.</summary>
        public static Authorization Deferred => new(null, null);
    }
}
