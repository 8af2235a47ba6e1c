using PerfReference.CustomerGrains;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersService.Orders;

namespace PerfReference.OrdersService.Checkout;

/// <summary>
/// Places an order: reads the customer through its grain and prices the lines (<see cref="CheckoutReads"/>),
/// has the payment authorised (<see cref="CheckoutPayment"/>), stores order, lines and payment record
/// in one transaction (<see cref="OrderWriter"/>), lets the payment finish, and credits the customer's
/// loyalty. A refused or failed checkout writes nothing and charges nothing.
/// </summary>
public sealed class CheckoutService(
    CheckoutReads reads,
    IGrainFactory grains,
    CheckoutPayment payment,
    OrderWriter writer,
    TimeProvider clock,
    ILogger<CheckoutService> logger)
{
    public async Task<CheckoutResult> CheckoutAsync(long customerId, IReadOnlyList<(long ProductId, int Quantity)> lines, string? idempotencyKey, CancellationToken ct)
    {
        var requestHash = CheckoutRequestHash.Compute(customerId, lines);
        var inputs = await reads.ReadAsync(customerId, lines, idempotencyKey, requestHash, ct);
        if (inputs.Replay is { } replay)
        {
            return replay;
        }

        if (inputs.Customer is not { } customer)
        {
            return new CheckoutResult.Refused(StatusCodes.Status422UnprocessableEntity, "Unknown customer", $"No customer has id {customerId}.");
        }

        var priced = inputs.Priced;
        if (priced.UnknownProductIds.Count > 0)
        {
            return new CheckoutResult.Refused(StatusCodes.Status422UnprocessableEntity, "Unknown product",
                $"These products do not exist or are not for sale: {string.Join(", ", priced.UnknownProductIds)}.");
        }

        var subtotal = priced.SubtotalMinor;
        var discount = subtotal * customer.DiscountPercent / 100;
        var total = subtotal - discount;
        var paymentKey = CheckoutPayment.IdempotencyKeyFor(idempotencyKey);

        var authorization = await payment.AuthorizeAsync(paymentKey, customerId, total, ct);
        if (authorization.Refusal is { } refusal)
        {
            return refusal;
        }

        var now = PostgresPrecision(clock.GetUtcNow());
        var order = new Order
        {
            CustomerId = customerId,
            Status = authorization.IsAuthorized ? OrderStatus.Placed : OrderStatus.PendingPayment,
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
        var paymentRecord = payment.NewRecord(authorization, order, paymentKey, now);

        try
        {
            await writer.InsertAsync(order, paymentRecord, ct); // one transaction: order, lines and payment record, or nothing
        }
        catch (Exception error) when (idempotencyKey is not null && OrderWriter.IsUniqueViolation(error))
        {
            // A concurrent checkout with the same key won the race. The provider saw the same key
            // too, so it authorised once; answer with the winner's order.
            return await reads.ReplayAsync(idempotencyKey, requestHash, ct)
                ?? throw new InvalidOperationException($"Checkout {idempotencyKey} conflicted but its order cannot be found.", error);
        }

        // The order is stored. Whatever follows may fail without failing the checkout: the payment
        // record is the outbox entry from which the payment worker captures, and credits the
        // loyalty of, every payment it settles. The answer is the order, never an error.
        var credited = authorization.IsAuthorized && await TryCreditLoyaltyAsync(grains.GetGrain<ICustomerGrain>(customerId), new OrderPlaced(order.Id, total, now));
        await payment.FinishAsync(authorization, order, paymentRecord, credited, ct);

        var details = OrderDetails.From(order, priced.Lines.ToDictionary(l => l.Product.Id, l => l.Product), paymentRecord);
        // Without an authorisation the loyalty credit waits for it: the worker records both.
        return authorization.IsAuthorized ? new CheckoutResult.Placed(details) : new CheckoutResult.Accepted(details);
    }

    /// <summary>Credits the customer for a stored order; a cluster that cannot take the call now leaves it to the payment worker.</summary>
    private async Task<bool> TryCreditLoyaltyAsync(ICustomerGrain customer, OrderPlaced order)
    {
        try
        {
            await customer.RecordOrderAsync(order);
            return true;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Crediting order {OrderId} to customer {CustomerId} failed; the payment worker credits it", order.OrderId, customer.GetPrimaryKeyLong());
            return false;
        }
    }

    /// <summary>PostgreSQL keeps microseconds: the order we answer with must equal the order a replay reads back.</summary>
    private static DateTimeOffset PostgresPrecision(DateTimeOffset time) =>
        new(time.Ticks - time.Ticks % (TimeSpan.TicksPerMillisecond / 1000), time.Offset);
}
