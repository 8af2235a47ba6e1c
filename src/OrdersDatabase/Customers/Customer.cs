namespace PerfReference.OrdersDatabase.Customers;

public enum CustomerTier
{
    Standard = 0,
    Silver = 1,
    Gold = 2,
}

public sealed class Customer
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public required string Email { get; set; }

    public CustomerTier Tier { get; set; }

    public int LoyaltyPoints { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
