using PerfReference.ComponentTests.Grains;
using PerfReference.CustomerGrains;
using PerfReference.OrdersService.Customers;
using PerfReference.Performance;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// grain-read-only: the customer reader against a real silo (Orleans' in-process test cluster), with the grain's
/// storage write held in progress by the test. Naive, the read is an ordinary call and waits in the activation's
/// queue until the write is done; optimized, it interleaves with the write and answers at once what storage last
/// confirmed — never the order the write is still recording, and never one whose write failed.
/// </summary>
public sealed class GrainReadOnlyPairTests(CustomerGrainCluster cluster) : IClassFixture<CustomerGrainCluster>
{
    private static readonly IPerfSwitch Naive = FixedPerfSwitch.AllNaive;
    private static readonly IPerfSwitch Optimized = FixedPerfSwitch.OnlyOptimized(PerfCatalog.GrainReadOnly);

    /// <summary>Long enough for any machine to answer an interleaving read; only a broken fix ever waits for it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WhileAWriteIsInProgressTheOptimizedReadAnswersWhatStorageHoldsAndTheNaiveReadWaitsForTheWrite()
    {
        const long customerId = 31;
        var before = (await ReadAsync(Naive, customerId))!; // activates the grain: its first write is not the one held
        using var held = cluster.Storage.HoldNextWrite(customerId);
        var recording = Grain(customerId).RecordOrderAsync(new OrderPlaced(9_000_031, 4_200, DateTimeOffset.UtcNow));
        await held.Reached.WaitAsync(Patience, TestContext.Current.CancellationToken);

        var naive = ReadAsync(Naive, customerId);
        var optimized = await ReadAsync(Optimized, customerId).WaitAsync(Patience, TestContext.Current.CancellationToken);

        Assert.Equal(before, optimized); // the order is not in storage yet: the read does not show it
        Assert.False(naive.IsCompleted, "the naive read answered while the write it queues behind was still held");
        held.Release();
        var recorded = await recording;
        Assert.Equal(recorded, await naive.WaitAsync(Patience, TestContext.Current.CancellationToken)); // it ran after the write: the order is in its answer
        Assert.Equal(before.OrderCount + 1, recorded.OrderCount);
        Assert.Equal(recorded, await ReadAsync(Optimized, customerId)); // and the committed profile has it once storage does
    }

    [Fact]
    public async Task AReadDuringAWriteThatFailsNeverReturnsTheOrderThatWriteWasRecording()
    {
        const long customerId = 32;
        var before = (await ReadAsync(Naive, customerId))!;
        using var held = cluster.Storage.HoldNextWrite(customerId);
        cluster.Storage.FailNextWrite(customerId);
        var recording = Grain(customerId).RecordOrderAsync(new OrderPlaced(9_000_032, 7_700, DateTimeOffset.UtcNow));
        await held.Reached.WaitAsync(Patience, TestContext.Current.CancellationToken);

        var duringTheWrite = await ReadAsync(Optimized, customerId).WaitAsync(Patience, TestContext.Current.CancellationToken);
        held.Release();
        await Assert.ThrowsAnyAsync<Exception>(() => recording);

        Assert.Equal(before, duringTheWrite);
        Assert.Equal((before.OrderCount, before.LoyaltyPoints), cluster.Storage.Stored(customerId));
        Assert.Equal(before, await ReadAsync(Naive, customerId));
        Assert.Equal(before, await ReadAsync(Optimized, customerId));
    }

    [Theory]
    [InlineData(33)]
    [InlineData(999_999_933)] // no such customer
    public async Task WithNoWriteInProgressBothVariantsAnswerTheSame(long customerId) =>
        Assert.Equal(await ReadAsync(Naive, customerId), await ReadAsync(Optimized, customerId));

    private Task<CustomerProfile?> ReadAsync(IPerfSwitch perf, long customerId) => new CustomerReader(cluster.Grains, perf).ReadAsync(customerId);

    private ICustomerGrain Grain(long customerId) => cluster.Grains.GetGrain<ICustomerGrain>(customerId);
}
