namespace PerfReference.OrdersDatabase.Payments;

public enum PaymentRecordStatus
{
    Authorized = 0,
    Captured = 1,
    Failed = 2,
    Refunded = 3,

    /// <summary>Not yet authorised: the provider was unavailable when the order was taken.</summary>
    Pending = 4,
}

/// <summary>Our record of a charge at the payment provider, keyed by the idempotency key we sent it.</summary>
public sealed class PaymentRecord
{
    public long Id { get; set; }

    public long OrderId { get; set; }

    public Ordering.Order? Order { get; set; }

    public required string IdempotencyKey { get; set; }

    public string? ProviderPaymentId { get; set; }

    public PaymentRecordStatus Status { get; set; }

    public long AmountMinor { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// When the payment worker should next try to move this payment on (authorise a pending one,
    /// capture an authorised one); null once there is nothing left to do. The outbox of the payments.
    /// </summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>Why the last attempt failed, for operators.</summary>
    public string? LastError { get; set; }
}
