using PerfReference.LoadLab.Engine;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// A closed loop is driven by its workers (one per request in flight, each sending its next request as its last one
/// answered): it must still hold exactly its number in flight, count every request, and end a failed load only once
/// every request sent has answered — what the one dispatching loop did.
/// </summary>
public sealed class LoadLoopTests
{
    private const int InFlight = 4;

    [Fact]
    public async Task AClosedLoopHoldsItsNumberInFlightAndCountsEveryRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        var pacing = Pacing.Closed(InFlight, TimeSpan.FromMilliseconds(500));
        var counters = new LoadCounters();
        var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sequences = new System.Collections.Concurrent.ConcurrentBag<long>();
        int inFlight = 0, peak = 0;

        await LoadLoop.RunAsync(pacing, counters, async arrival =>
        {
            sequences.Add(arrival.Sequence);
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            if (now == InFlight)
            {
                allIn.TrySetResult();
            }

            // The first requests wait until all of them are in flight at once: the loop must have sent that many (a loop
            // that sends fewer fails here rather than hanging). Later ones answer after a moment, as a service would.
            await allIn.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
            await Task.Delay(1, ct);
            Interlocked.Decrement(ref inFlight);
        }, ct);

        Assert.Equal(InFlight, pacing.Workers);
        Assert.Null(Pacing.Open(100, 10).Workers);
        Assert.Equal(InFlight, peak);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        Assert.Equal(sequences.Count, counters.Sent);
        Assert.Equal(counters.Sent, counters.CompletedCount);
        Assert.Equal(0, counters.InFlight);
    }

    [Fact]
    public async Task AClosedLoopThatFailsThrowsOnlyOnceEveryRequestSentHasAnswered()
    {
        var ct = TestContext.Current.CancellationToken;
        var counters = new LoadCounters();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => LoadLoop.RunAsync(
            Pacing.Closed(InFlight, TimeSpan.FromMilliseconds(50)), counters, async arrival =>
            {
                await Task.Yield();
                if (arrival.Sequence == 3)
                {
                    throw new InvalidOperationException("request 3");
                }
            }, ct));

        Assert.Equal("request 3", failure.Message);
        Assert.Equal(0, counters.InFlight);
        Assert.Equal(counters.Sent, counters.CompletedCount);
        Assert.True(counters.Sent > InFlight); // the other workers went on: one request's failure is its own to record
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
