namespace PerfReference.OrdersDatabase.Payments;

public enum PaymentRecordStatus
{
    Authorized = 0,
    Captured = 1,
    Failed = 2,
    Refunded = 3,
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
}
