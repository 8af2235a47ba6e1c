using PerfReference.CustomerGrains;

namespace PerfReference.OrdersDatabase.Customers;

/// <summary>A customer as the orders database keeps it; its <see cref="CustomerTier"/> is the one the customer grain reports.</summary>
public sealed class Customer
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public required string Email { get; set; }

    public CustomerTier Tier { get; set; }

    public int LoyaltyPoints { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
