using Orleans.Concurrency;

namespace PerfReference.CustomerGrains;

/// <summary>
/// One customer, as the order path sees it: tier, discount and loyalty. Keyed by the customer's id
/// in the orders database; the first activation loads the row, and the state then lives in grain
/// storage.
/// </summary>
[Alias("PerfReference.CustomerGrains.ICustomerGrain")]
public interface ICustomerGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// The customer, or null when no customer has this id. An ordinary call: it waits for the call the grain is serving,
    /// a <see cref="RecordOrderAsync"/> writing its state included, and answers what the grain holds after it.
    /// </summary>
    [Alias("GetProfile")]
    Task<CustomerProfile?> GetProfileAsync();

    /// <summary>
    /// The customer as grain storage last confirmed it, or null when no customer has this id: answered at once, even
    /// while a <see cref="RecordOrderAsync"/> is waiting for its write (the order it records is in the answer once
    /// storage holds it). Interleaves with any call, so it reads nothing but the last committed profile.
    /// </summary>
    [AlwaysInterleave, Alias("GetCommittedProfile")]
    Task<CustomerProfile?> GetCommittedProfileAsync();

    /// <summary>
    /// Records a placed order: loyalty points (one per whole unit of currency), last order time and
    /// count. Recording the same order twice changes nothing.
    /// </summary>
    [Alias("RecordOrder")]
    Task<CustomerProfile> RecordOrderAsync(OrderPlaced order);
}

[GenerateSerializer, Immutable, Alias("PerfReference.CustomerGrains.OrderPlaced")]
public sealed record OrderPlaced(
    [property: Id(0)] long OrderId,
    [property: Id(1)] long TotalMinor,
    [property: Id(2)] DateTimeOffset PlacedAt);

/// <summary>A customer's tier, as the customer grain reports it and the orders database keeps it (customers.tier).</summary>
public enum CustomerTier
{
    Standard = 0,
    Silver = 1,
    Gold = 2,
}

[GenerateSerializer, Immutable, Alias("PerfReference.CustomerGrains.CustomerProfile")]
public sealed record CustomerProfile(
    [property: Id(0)] long CustomerId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Email,
    [property: Id(3)] CustomerTier Tier,
    [property: Id(4)] int LoyaltyPoints,
    [property: Id(5)] DateTimeOffset? LastOrderAt,
    [property: Id(6)] int OrderCount)
{
    /// <summary>The discount the tier earns, in percent of the subtotal.</summary>
    public int DiscountPercent => Tier switch
    {
        CustomerTier.Gold => 10,
        CustomerTier.Silver => 5,
        _ => 0,
    };
}
