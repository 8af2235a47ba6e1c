using System.Diagnostics;
using Orleans.Serialization.Invocation;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.CustomerGrains;
using PerfReference.CustomerGrains.Timing;
using PerfReference.OrdersService.Customers;
using PerfReference.Performance;

namespace PerfReference.ComponentTests.Grains;

/// <summary>
/// Where a grain call's time goes, through a real silo and a real connection to it: the silo times each call a request
/// makes (its wait in the silo, its run) and answers with the figures, the caller's filter takes them out of the answer
/// and derives the link; the request's account sums the calls on its critical path, never calls that overlapped.
/// </summary>
public sealed class GrainCallTimingTests(CustomerGrainCluster cluster) : IClassFixture<CustomerGrainCluster>
{
    private static readonly long[] FiftyCustomers = [.. Enumerable.Range(51, 50).Select(id => (long)id)];

    [Fact]
    public async Task AReadQueuedBehindAHeldWriteIsChargedTheHoldAsSiloWaitNotAsLink()
    {
        const long customerId = 41;
        await Grain(customerId).GetProfileAsync();
        using var held = cluster.Storage.HoldNextWrite(customerId);
        var recording = Grain(customerId).RecordOrderAsync(new OrderPlaced(9_000_041, 1_000, DateTimeOffset.UtcNow));
        await held.Reached.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var heldFor = TimeSpan.Zero;

        var (profile, counters) = await Measured.RunAsync(async () =>
        {
            var queued = Grain(customerId).GetProfileAsync();
            // An interleaving read sent after it on the same connection: once it has answered, the queued read has
            // arrived at the silo too, and from then on it waits at least as long as the test holds the write.
            await Grain(customerId).GetCommittedProfileAsync();
            // The hold is what a stopwatch saw, not the delay asked for: a timer on Linux runs on a coarse clock and
            // can fire a few milliseconds before 300 ms have passed (CI once saw the wait at 298.7 ms).
            var holding = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
            heldFor = holding.Elapsed;
            held.Release();
            return await queued;
        });
        await recording;

        var path = counters.GrainPath;
        Assert.NotNull(profile);
        Assert.Equal(2, counters.GrainCalls);
        Assert.Equal(1, path.Calls); // the two reads overlapped: only the one that answered last is on the path
        Assert.True(path.SiloWait >= heldFor, $"the queued read waited {path.SiloWait.TotalMilliseconds} ms in the silo, held {heldFor.TotalMilliseconds} ms");
        Assert.Equal(path.SiloWait, path.LongestSiloWait);
        Assert.True(path.Link + path.SiloWait + path.Run <= counters.GrainTime, "the path's parts add up to no more than the calls' time");
    }

    [Fact]
    public async Task CallsAwaitedInTurnAreAllOnThePathAndCallsMadeTogetherAreNot()
    {
        var reader = (IPerfSwitch perf) => new CustomerProfileReader(cluster.Grains, perf);
        await reader(FixedPerfSwitch.AllNaive).ReadAsync(FiftyCustomers); // activate the grains: both variants measure warm calls

        var naive = await Measured.RunAsync(() => reader(FixedPerfSwitch.AllNaive).ReadAsync(FiftyCustomers));
        var optimized = await Measured.RunAsync(() => reader(FixedPerfSwitch.OnlyOptimized(PerfCatalog.NPlusOneGrains)).ReadAsync(FiftyCustomers));

        Assert.Equal(50, naive.Counters.GrainPath.Calls);
        // The calls in flight together at the busiest moment overlap each other, so at most one of them is on the path.
        Assert.InRange(optimized.Counters.GrainPath.Calls, 1, 51 - optimized.Counters.MaxGrainCallsInFlight);
        Assert.Equal(naive.Result.Profiles.Count, optimized.Result.Profiles.Count);
    }

    [Fact]
    public async Task AFailedCallFailsAsItWouldWithoutTheTimingAndAddsNothingToThePath()
    {
        var counters = await Measured.RunAsync(async () =>
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => Grain(999_999_941).RecordOrderAsync(new OrderPlaced(1, 1, DateTimeOffset.UtcNow)));
        });

        Assert.Equal(1, counters.GrainCalls);
        Assert.Equal(0, counters.GrainPath.Calls);
    }

    [Fact]
    public async Task TheCallsClientSpanCarriesItsSplitAndTheSilosServerSpanItsWaitAndRun()
    {
        var spans = new System.Collections.Concurrent.ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.Orleans.Application",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var request = new Activity("request").Start(); // one trace: the call's spans on both sides, and nobody else's

        await Measured.RunAsync(() => Grain(44).GetProfileAsync());
        request.Stop();

        var call = spans.Where(span => span.TraceId == request.TraceId).ToArray();
        var client = Assert.Single(call, span => span.Kind == ActivityKind.Client);
        var server = Assert.Single(call, span => span.Kind == ActivityKind.Server);
        Assert.All(new[] { GrainCallTags.LinkMs, GrainCallTags.SiloWaitMs, GrainCallTags.RunMs }, tag => Assert.IsType<double>(client.GetTagItem(tag)));
        // What the silo measured is what the caller was told: the same figures on both spans.
        Assert.Equal(server.GetTagItem(GrainCallTags.SiloWaitMs), client.GetTagItem(GrainCallTags.SiloWaitMs));
        Assert.Equal(server.GetTagItem(GrainCallTags.RunMs), client.GetTagItem(GrainCallTags.RunMs));
    }

    [Fact]
    public void AnAnswerThatReachesACallerWithoutTheFilterStillAnswersAsTheGrainsOwn()
    {
        var profile = new CustomerProfile(43, "Customer 43", "customer43@example.com", CustomerTier.Gold, 10, null, 1);
        var failure = new InvalidOperationException("refused");

        using var answered = new SiloTimedResponse { Answer = Response.FromResult(profile), Waited = TimeSpan.FromMilliseconds(2), Ran = TimeSpan.FromMilliseconds(1) };
        using var failed = new SiloTimedResponse { Answer = Response.FromException(failure) };

        Assert.Same(profile, answered.GetResult<CustomerProfile>());
        Assert.Null(answered.Exception);
        Assert.Same(failure, failed.Exception);
        Assert.Same(failure, Assert.Throws<InvalidOperationException>(() => failed.GetResult<CustomerProfile>()));
    }

    private ICustomerGrain Grain(long customerId) => cluster.Grains.GetGrain<ICustomerGrain>(customerId);
}
