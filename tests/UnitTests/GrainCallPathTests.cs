using System.Diagnostics;
using PerfReference.Performance;

namespace PerfReference.UnitTests;

/// <summary>
/// A request's grain time split sums only calls that followed one another: the calls on its critical path. Calls that
/// overlapped are never added up, so fifty calls that waited together read as one wait.
/// </summary>
public sealed class GrainCallPathTests
{
    private static readonly long Ms = Stopwatch.Frequency / 1000;

    [Fact]
    public void CallsAwaitedOneAfterAnotherAreAllOnThePath()
    {
        // Three calls, each made when the one before answered: 10 ms each, of which 1 ms waiting and 2 ms running in the silo.
        var path = GrainCallPath.Of([Call(0, 10, wait: 1, run: 2), Call(10, 20, wait: 1, run: 2), Call(20, 30, wait: 1, run: 2)]);

        Assert.Equal(new GrainCallPath(3, Milliseconds(21), Milliseconds(3), Milliseconds(6), Milliseconds(1)), path);
    }

    [Fact]
    public void CallsMadeTogetherPutOnlyTheOneThatAnsweredLastOnThePath()
    {
        // Fifty calls sent at once, each queued a little longer behind the others: the request waited for the last.
        var calls = Enumerable.Range(1, 50).Select(i => Call(0, 10 + i, wait: i, run: 1)).ToArray();

        var path = GrainCallPath.Of(calls);

        Assert.Equal(new GrainCallPath(1, Milliseconds(9), Milliseconds(50), Milliseconds(1), Milliseconds(50)), path);
    }

    [Fact]
    public void ACallThatAnsweredWhileLaterCallsWereStillBeingMadeIsOnThePathOnlyIfItEndedBeforeTheLastOneLeft()
    {
        // The fan-out's first call came back (at 2 ms) before its last call was sent (at 3 ms); a middle call overlapped the last.
        var path = GrainCallPath.Of([Call(0, 2, wait: 0, run: 1), Call(1, 6, wait: 3, run: 1), Call(3, 8, wait: 2, run: 1)]);

        Assert.Equal(2, path.Calls);
        Assert.Equal(Milliseconds(2), path.SiloWait);
        Assert.Equal(Milliseconds(3), path.LongestSiloWait);
    }

    [Fact]
    public void TheLinkIsNeverBelowZeroWhateverTheSilosClockSaid() =>
        Assert.Equal(TimeSpan.Zero, Call(0, 5, wait: 4, run: 2).Link);

    [Fact]
    public void NoCallsNoPath() => Assert.Equal(GrainCallPath.None, GrainCallPath.Of([]));

    private static GrainCallSplit Call(long startMs, long endMs, long wait, long run) =>
        new(startMs * Ms, endMs * Ms, Milliseconds(wait), Milliseconds(run));

    private static TimeSpan Milliseconds(long ms) => TimeSpan.FromMilliseconds(ms);
}
