using PerfReference.ComponentTests.Infrastructure;
using PerfReference.CustomerGrains;

namespace PerfReference.ComponentTests.Grains;

/// <summary>
/// The customer grain on Orleans' in-process test cluster (a real silo: activation, grain storage, deactivation),
/// its state starting from the orders database as in the service: an order recorded twice counts once, and a state
/// write that fails leaves the grain to read storage again rather than trust what it holds in memory.
/// </summary>
public sealed class CustomerGrainTests(CustomerGrainCluster cluster) : IClassFixture<CustomerGrainCluster>
{
    [Fact]
    public async Task AnOrderRecordedTwiceIsCountedOnce()
    {
        var customer = cluster.Grains.GetGrain<ICustomerGrain>(21);
        var before = (await customer.GetProfileAsync())!;
        var order = new OrderPlaced(OrderId: 9_000_021, TotalMinor: 12_345, PlacedAt: DateTimeOffset.UtcNow);

        await customer.RecordOrderAsync(order);
        var repeated = await customer.RecordOrderAsync(order); // a retry of the same order: the checkout's or the worker's

        Assert.Equal(before.OrderCount + 1, repeated.OrderCount);
        Assert.Equal(before.LoyaltyPoints + 123, repeated.LoyaltyPoints);
        Assert.Equal(repeated, await customer.GetProfileAsync());
        Assert.Equal((before.OrderCount + 1, before.LoyaltyPoints + 123), cluster.Storage.Stored(21));
    }

    [Fact]
    public async Task AFailedStateWriteLeavesTheGrainToReadStorageAgainSoTheRetryIsRecorded()
    {
        var customer = cluster.Grains.GetGrain<ICustomerGrain>(22);
        var before = (await customer.GetProfileAsync())!;
        var readsBefore = cluster.Storage.Reads(22);
        var order = new OrderPlaced(OrderId: 9_000_022, TotalMinor: 5_000, PlacedAt: DateTimeOffset.UtcNow);

        cluster.Storage.FailNextWrite(22);
        await Assert.ThrowsAnyAsync<Exception>(() => customer.RecordOrderAsync(order));
        // The activation held the order in memory though storage never got it: had it stayed, the retry would look
        // like a duplicate and the order would never be counted. It went, and the retry finds storage's state.
        var retried = await customer.RecordOrderAsync(order);

        Assert.Equal(before.OrderCount + 1, retried.OrderCount);
        Assert.Equal(before.LoyaltyPoints + 50, retried.LoyaltyPoints);
        Assert.Equal((before.OrderCount + 1, before.LoyaltyPoints + 50), cluster.Storage.Stored(22));
        Assert.Equal(readsBefore + 1, cluster.Storage.Reads(22)); // a new activation read storage once more
    }
}
