using PerfReference.LoadLab.Drills;


namespace PerfReference.UnitTests.LoadLab;

/// <summary>The recovery time of a drill: from the fault's end to the first 5 s window of checkouts whose P99 is back within twice the baseline.</summary>
public sealed class RecoveryTests
{
    [Fact]
    public void RecoveryIsCountedFromTheFaultsEndToTheFirstWindowBackWithinTwiceTheBaseline()
    {
        // 10 checkouts a second: 100 ms before the fault (10–12 s) and from 17 s on, 2 s in between.
        var outcomes = Checkouts(0, 30, due => due is >= 10 and < 17 ? 2_000 : 100);

        Assert.Equal(100, Recovery.BaselineP99Ms(outcomes, TimeSpan.FromSeconds(10)), precision: 0);
        Assert.Equal(5, Recovery.Seconds(outcomes, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(12)));
    }

    [Fact]
    public void ACheckoutStillRunningWhenTheFaultHitIsNotPartOfTheBaseline()
    {
        // 100 ms each, but the checkouts due in the last second before the fault take 20 s (caught by it).
        var outcomes = Checkouts(0, 30, due => due is >= 9 and < 10 ? 20_000 : 100);

        Assert.Equal(100, Recovery.BaselineP99Ms(outcomes, TimeSpan.FromSeconds(10)), precision: 0);
    }

    [Fact]
    public void AWindowWithACheckoutThatGaveUpHasNotRecovered()
    {
        var outcomes = Checkouts(0, 30, _ => 100).Select(o => o.Due == TimeSpan.FromSeconds(13) ? o with { Status = null, OrderId = null } : o).ToArray();

        // The windows starting at 9 s to 13 s hold the checkout that gave up; 14 s is the first without it.
        Assert.Equal(5, Recovery.Seconds(outcomes, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(9)));
    }

    [Fact]
    public void ARunThatNeverGetsBackHasNoRecoveryTime() =>
        Assert.Null(Recovery.Seconds(Checkouts(0, 30, due => due < 10 ? 100 : 1_000), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(12)));

    private static CheckoutOutcome[] Checkouts(int fromSecond, int toSecond, Func<double, double> latencyMsAt) =>
        [.. Enumerable.Range(fromSecond * 10, (toSecond - fromSecond) * 10).Select(i =>
        {
            var due = TimeSpan.FromSeconds(i / 10.0);
            return new CheckoutOutcome($"k{i}", 51, "naive", due, due + TimeSpan.FromMilliseconds(latencyMsAt(due.TotalSeconds)), 1, 201, ["201"], i);
        })];
}
