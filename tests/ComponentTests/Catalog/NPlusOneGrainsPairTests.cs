using NSubstitute;
using PerfReference.CustomerGrains;
using PerfReference.OrdersService.Customers;
using PerfReference.Performance;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// n-plus-one-grains: the profile reader makes one grain call per customer in both variants; naive
/// waits for each before making the next, optimized has them all in flight at once. Grains here
/// answer after a fixed delay and count how many calls they hold at the same time.
/// </summary>
public sealed class NPlusOneGrainsPairTests
{
    private const int Customers = 50;
    private static readonly long[] Ids = [.. Enumerable.Range(1, Customers).Select(i => (long)i)];

    [Fact]
    public async Task NaiveCallsOneGrainAtATimeAndOptimizedAllAtOnce()
    {
        var (naive, naiveInFlight) = await ReadAsync(FixedPerfSwitch.AllNaive);
        var (optimized, optimizedInFlight) = await ReadAsync(FixedPerfSwitch.OnlyOptimized(PerfCatalog.NPlusOneGrains));

        Assert.Equal(1, naiveInFlight);
        Assert.Equal(Customers, optimizedInFlight);
        Assert.Equal(naive, optimized);
    }

    [Fact]
    public async Task AnIdThatNamesNoCustomerIsListedAsMissingInBothVariants()
    {
        foreach (var perf in new[] { FixedPerfSwitch.AllNaive, FixedPerfSwitch.OnlyOptimized(PerfCatalog.NPlusOneGrains) })
        {
            var grains = new DelayedGrains(unknown: 7);
            var result = await new CustomerProfileReader(grains.Factory, perf).ReadAsync([5, 7, 9]);

            Assert.Equal([5L, 9L], result.Profiles.Select(p => p.CustomerId));
            Assert.Equal([7L], result.Missing);
        }
    }

    private static async Task<(string Profiles, int MostInFlight)> ReadAsync(IPerfSwitch perf)
    {
        await new CustomerProfileReader(new DelayedGrains().Factory, perf).ReadAsync([1]); // the fakes' first call pays for JIT, not the measurement
        var grains = new DelayedGrains(expected: Customers);
        var result = await new CustomerProfileReader(grains.Factory, perf).ReadAsync(Ids);
        return (string.Join(",", result.Profiles.Select(p => p.CustomerId)) + "|" + string.Join(",", result.Missing), grains.MostInFlight);
    }

    /// <summary>
    /// A grain factory whose customer grains answer after 50 ms — or at once, all together, when all
    /// the calls a reader is expected to make are waiting: so calls made together are seen together,
    /// however slowly a busy machine issues them.
    /// </summary>
    private sealed class DelayedGrains
    {
        private readonly TaskCompletionSource _allWaiting = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly int _expected;
        private int _inFlight;
        private int _mostInFlight;

        public DelayedGrains(long? unknown = null, int expected = int.MaxValue)
        {
            _expected = expected;
            Factory = Substitute.For<IGrainFactory>();
            Factory.GetGrain<ICustomerGrain>(Arg.Any<long>(), Arg.Any<string?>())
                .Returns(call => Grain(call.Arg<long>(), call.Arg<long>() == unknown));
        }

        public IGrainFactory Factory { get; }

        public int MostInFlight => _mostInFlight;

        private ICustomerGrain Grain(long id, bool unknown)
        {
            var grain = Substitute.For<ICustomerGrain>();
            grain.GetProfileAsync().Returns(_ => AnswerAsync(id, unknown));
            return grain;
        }

        private async Task<CustomerProfile?> AnswerAsync(long id, bool unknown)
        {
            var now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _mostInFlight, now);
            if (now >= _expected)
            {
                _allWaiting.TrySetResult();
            }

            await Task.WhenAny(_allWaiting.Task, Task.Delay(50));
            Interlocked.Decrement(ref _inFlight);
            return unknown ? null : new CustomerProfile(id, $"Customer {id}", $"c{id}@example.com", CustomerTier.Standard, 0, null, 0);
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }
}
