using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PerfReference.CustomerGrains;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersDatabase.Payments;
using PerfReference.OrdersService.Orders;
using PerfReference.OrdersService.Payments;

namespace PerfReference.OrdersService.Checkout;

/// <summary>
/// Places an order: reads the customer through its grain, prices the lines, authorises the payment,
/// stores order, lines and payment record in one transaction, captures the payment, and credits
/// the customer's loyalty. A refused or failed checkout writes nothing and charges nothing.
/// </summary>
public sealed class CheckoutService(
    OrdersDbContext db,
    IGrainFactory grains,
    OrderLinePricer pricer,
    OrderReader orders,
    PaymentGateway payments,
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

        PerfReference.Payments.V1.Payment authorization;
        try
        {
            authorization = await payments.AuthorizeAsync(paymentKey, customerId, total, ct);
        }
        catch (RpcException error)
        {
            logger.LogWarning(error, "Authorising {Amount} for customer {CustomerId} failed: {Status}", total, customerId, error.StatusCode);
            return PaymentRefused(error);
        }

        var now = PostgresPrecision(clock.GetUtcNow());
        var order = new Order
        {
            CustomerId = customerId,
            Status = OrderStatus.Placed,
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
            ProviderPaymentId = authorization.PaymentId,
            Status = PaymentRecordStatus.Authorized,
            AmountMinor = total,
            Attempts = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };

        db.Orders.Add(order);
        db.Payments.Add(payment);
        try
        {
            await db.SaveChangesAsync(ct); // one transaction: order, lines and payment record, or nothing
        }
        catch (DbUpdateException error) when (idempotencyKey is not null && IsUniqueViolation(error))
        {
            // A concurrent checkout with the same key won the race. The provider saw the same key
            // too, so it authorised once; answer with the winner's order.
            db.ChangeTracker.Clear();
            return await ReplayAsync(idempotencyKey, requestHash, ct)
                ?? throw new InvalidOperationException($"Checkout {idempotencyKey} conflicted but its order cannot be found.", error);
        }

        await CaptureAsync(order, payment, ct);
        await customerGrain.RecordOrderAsync(new OrderPlaced(order.Id, total, now));

        return new CheckoutResult.Placed(OrderDetails.From(order, priced.Lines.ToDictionary(l => l.Product.Id, l => l.Product), payment));
    }

    /// <summary>
    /// Takes the authorised money. The order is already taken, so a failed capture leaves it Placed
    /// with its payment Authorized (to be captured later) rather than failing the checkout.
    /// </summary>
    private async Task CaptureAsync(Order order, PaymentRecord payment, CancellationToken ct)
    {
        try
        {
            await payments.CaptureAsync(payment.ProviderPaymentId!, $"{payment.IdempotencyKey}:capture", ct);
        }
        catch (RpcException error)
        {
            logger.LogWarning(error, "Capturing payment {PaymentId} of order {OrderId} failed; it stays authorised", payment.ProviderPaymentId, order.Id);
            return;
        }

        payment.Status = PaymentRecordStatus.Captured;
        payment.UpdatedAt = clock.GetUtcNow();
        order.Status = OrderStatus.Paid;
        await db.SaveChangesAsync(ct);
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

    private static CheckoutResult.Refused PaymentRefused(RpcException error) => PaymentGateway.IsUnavailable(error)
        ? new(StatusCodes.Status503ServiceUnavailable, "Payment provider unavailable",
            $"The payment provider could not be reached or did not answer in time ({error.StatusCode}). No order was placed and nothing was charged; retry with the same Idempotency-Key.")
        : new(StatusCodes.Status502BadGateway, "Payment refused",
            $"The payment provider refused the payment ({error.StatusCode}: {error.Status.Detail}). No order was placed.");

    /// <summary>PostgreSQL keeps microseconds: the order we answer with must equal the order a replay reads back.</summary>
    private static DateTimeOffset PostgresPrecision(DateTimeOffset time) =>
        new(time.Ticks - time.Ticks % (TimeSpan.TicksPerMillisecond / 1000), time.Offset);

    private static bool IsUniqueViolation(DbUpdateException error) =>
        error.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
