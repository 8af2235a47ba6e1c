using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PerfReference.Payments.V1;
using StackExchange.Redis;

namespace PerfReference.PaymentsGateway.Payments;

/// <summary>
/// Payments and idempotency records in Redis. Every change is one optimistic transaction that
/// writes the payment and its idempotency record together, so a repeated or concurrent call with
/// the same key can only ever observe the first result.
/// </summary>
public sealed class PaymentStore(IConnectionMultiplexer redis, TimeProvider clock)
{
    private static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);
    private const int MaxOptimisticAttempts = 8;

    private IDatabase Database => redis.GetDatabase();

    public async Task<Payment> AuthorizeAsync(AuthorizeRequest request)
    {
        var idempotencyKey = IdempotencyKey("authorize", request.IdempotencyKey);
        var payment = new Payment
        {
            PaymentId = $"pay_{Guid.CreateVersion7():N}",
            Status = PaymentStatus.Authorized,
            CustomerReference = request.CustomerReference,
            AmountMinor = request.AmountMinor,
            Currency = request.Currency,
            CreatedAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
            AuthorizationKey = request.IdempotencyKey,
        };

        var transaction = Database.CreateTransaction();
        transaction.AddCondition(Condition.KeyNotExists(idempotencyKey));
        var bytes = payment.ToByteArray();
        _ = transaction.StringSetAsync(PaymentKey(payment.PaymentId), bytes);
        _ = transaction.StringSetAsync(idempotencyKey, bytes, IdempotencyWindow);
        _ = transaction.SortedSetAddAsync(CreatedIndex, payment.PaymentId, CreatedScore(payment.CreatedAt));

        if (await transaction.ExecuteAsync())
        {
            return payment;
        }

        return await ReplayAsync(idempotencyKey)
            ?? throw new RpcException(new Status(StatusCode.Aborted, "A concurrent authorisation with this idempotency key did not complete; retry."));
    }

    public Task<Payment> CaptureAsync(CaptureRequest request) =>
        ChangeAsync(request.PaymentId, IdempotencyKey("capture", request.IdempotencyKey), current =>
        {
            if (current.Status != PaymentStatus.Authorized)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"Payment {current.PaymentId} is {current.Status}; only an authorised payment can be captured."));
            }

            var captured = current.Clone();
            captured.Status = PaymentStatus.Captured;
            captured.CapturedMinor = current.AmountMinor;
            return captured;
        });

    public Task<Payment> RefundAsync(RefundRequest request) =>
        ChangeAsync(request.PaymentId, IdempotencyKey("refund", request.IdempotencyKey), current =>
        {
            if (current.Status is not (PaymentStatus.Captured or PaymentStatus.Refunded))
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"Payment {current.PaymentId} is {current.Status}; only a captured payment can be refunded."));
            }

            var refundable = current.CapturedMinor - current.RefundedMinor;
            if (request.AmountMinor > refundable)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"Refund of {request.AmountMinor} exceeds the {refundable} still refundable on payment {current.PaymentId}."));
            }

            var refunded = current.Clone();
            refunded.RefundedMinor += request.AmountMinor;
            refunded.Status = PaymentStatus.Refunded;
            return refunded;
        });

    public Task<Payment> VoidAsync(VoidAuthorizationRequest request) =>
        ChangeAsync(request.PaymentId, IdempotencyKey("void", request.IdempotencyKey), current =>
        {
            if (current.Status != PaymentStatus.Authorized)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"Payment {current.PaymentId} is {current.Status}; only an authorisation that was not captured can be voided."));
            }

            var voided = current.Clone();
            voided.Status = PaymentStatus.Voided;
            return voided;
        });

    /// <summary>
    /// Payments created in [from, before), oldest first: a page of the creation index, then the
    /// status filter. A filtered page may hold fewer than <paramref name="pageSize"/>; the last page
    /// is the one without a next token. The token is the index offset of the next page.
    /// </summary>
    public async Task<PaymentPage> ListAsync(DateTimeOffset from, DateTimeOffset before, PaymentStatus status, int pageSize, long offset)
    {
        var ids = await Database.SortedSetRangeByScoreAsync(CreatedIndex, CreatedScore(from), CreatedScore(before),
            Exclude.Stop, Order.Ascending, offset, pageSize);
        var page = new PaymentPage { NextPageToken = ids.Length == pageSize ? (offset + pageSize).ToString(System.Globalization.CultureInfo.InvariantCulture) : "" };
        if (ids.Length == 0)
        {
            return page;
        }

        var stored = await Database.StringGetAsync([.. ids.Select(id => PaymentKey(id!))]);
        page.Payments.AddRange(stored.Where(value => !value.IsNull)
            .Select(value => Payment.Parser.ParseFrom((byte[])value!))
            .Where(payment => status == PaymentStatus.Unspecified || payment.Status == status));
        return page;
    }

    public async Task<Payment?> FindAsync(string paymentId)
    {
        var stored = await Database.StringGetAsync(PaymentKey(paymentId));
        return stored.IsNull ? null : Payment.Parser.ParseFrom((byte[])stored!);
    }

    private async Task<Payment> ChangeAsync(string paymentId, RedisKey idempotencyKey, Func<Payment, Payment> change)
    {
        for (var attempt = 0; attempt < MaxOptimisticAttempts; attempt++)
        {
            if (await ReplayAsync(idempotencyKey) is { } replay)
            {
                return replay;
            }

            var paymentKey = PaymentKey(paymentId);
            var stored = await Database.StringGetAsync(paymentKey);
            if (stored.IsNull)
            {
                throw new RpcException(new Status(StatusCode.NotFound, $"No payment {paymentId}."));
            }

            var updated = change(Payment.Parser.ParseFrom((byte[])stored!));
            var bytes = updated.ToByteArray();

            var transaction = Database.CreateTransaction();
            transaction.AddCondition(Condition.StringEqual(paymentKey, stored));
            transaction.AddCondition(Condition.KeyNotExists(idempotencyKey));
            _ = transaction.StringSetAsync(paymentKey, bytes);
            _ = transaction.StringSetAsync(idempotencyKey, bytes, IdempotencyWindow);
            if (await transaction.ExecuteAsync())
            {
                return updated;
            }
        }

        throw new RpcException(new Status(StatusCode.Aborted, $"Payment {paymentId} is changing concurrently; retry."));
    }

    /// <summary>
    /// A call repeated with a key seen before: the payment it acted on, as it is now — an
    /// authorisation replayed after it was captured or voided says so, rather than repeating a
    /// stale "authorised".
    /// </summary>
    private async Task<Payment?> ReplayAsync(RedisKey idempotencyKey)
    {
        var stored = await Database.StringGetAsync(idempotencyKey);
        if (stored.IsNull)
        {
            return null;
        }

        var first = Payment.Parser.ParseFrom((byte[])stored!);
        var payment = await FindAsync(first.PaymentId) ?? first;
        payment.Replayed = true;
        return payment;
    }

    private static RedisKey PaymentKey(string paymentId) => $"payments:payment:{paymentId}";

    /// <summary>Every payment by its creation time (milliseconds since 1970): what ListPayments pages through.</summary>
    private static readonly RedisKey CreatedIndex = "payments:by-created";

    private static double CreatedScore(Timestamp createdAt) => CreatedScore(createdAt.ToDateTimeOffset());

    private static double CreatedScore(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static RedisKey IdempotencyKey(string operation, string key) => $"payments:idempotency:{operation}:{key}";
}
