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
        };

        var transaction = Database.CreateTransaction();
        transaction.AddCondition(Condition.KeyNotExists(idempotencyKey));
        var bytes = payment.ToByteArray();
        _ = transaction.StringSetAsync(PaymentKey(payment.PaymentId), bytes);
        _ = transaction.StringSetAsync(idempotencyKey, bytes, IdempotencyWindow);

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

    private async Task<Payment?> ReplayAsync(RedisKey idempotencyKey)
    {
        var stored = await Database.StringGetAsync(idempotencyKey);
        if (stored.IsNull)
        {
            return null;
        }

        var payment = Payment.Parser.ParseFrom((byte[])stored!);
        payment.Replayed = true;
        return payment;
    }

    private static RedisKey PaymentKey(string paymentId) => $"payments:payment:{paymentId}";

    private static RedisKey IdempotencyKey(string operation, string key) => $"payments:idempotency:{operation}:{key}";
}
