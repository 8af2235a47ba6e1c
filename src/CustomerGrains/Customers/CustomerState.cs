namespace PerfReference.CustomerGrains.Customers;

/// <summary>What a customer grain keeps in grain storage between activations.</summary>
[GenerateSerializer, Alias("PerfReference.CustomerGrains.CustomerState")]
public sealed class CustomerState
{
    [Id(0)] public string Name { get; set; } = "";

    [Id(1)] public string Email { get; set; } = "";

    [Id(2)] public CustomerTier Tier { get; set; }

    [Id(3)] public int LoyaltyPoints { get; set; }

    [Id(4)] public DateTimeOffset? LastOrderAt { get; set; }

    [Id(5)] public int OrderCount { get; set; }

    /// <summary>The most recent orders recorded, newest last: a repeated record of one of them is ignored.</summary>
    [Id(6)] public List<long> RecentOrderIds { get; set; } = [];
}
