using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Scenarios;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>The README's headline table: each entry's ratio with its spread, from the runs that may be quoted.</summary>
public sealed class HeadlineRatiosTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ThreeRunsGiveTheLowestMedianAndHighestRatio()
    {
        var table = HeadlineRatios.Table(
        [
            Run("n-plus-one-db", "seed", 0, naiveMs: 100),
            Run("n-plus-one-db", "seed", 1, naiveMs: 200),
            Run("n-plus-one-db", "seed", 2, naiveMs: 50),
        ]);

        var row = Row(table, "`n-plus-one-db`");
        Assert.Contains("| 5.0× / 10.0× / 20.0× | 5.0× / 10.0× / 20.0× | 3 | 301 | seed, 20 rps | 2026-11-30, commit abc1234 |", row);
    }

    [Fact]
    public void TheNewestThreeRunsAreQuotedSoThatTheHeadlineIsTheCodeAsItIsNow()
    {
        var table = HeadlineRatios.Table(
        [
            Run("seed-checkout", "seed", 0, naiveMs: 100), // before a fix added to the optimized checkout
            Run("seed-checkout", "seed", 1, naiveMs: 100),
            Run("seed-checkout", "seed", 2, naiveMs: 200),
            Run("seed-checkout", "seed", 3, naiveMs: 210),
            Run("seed-checkout", "seed", 4, naiveMs: 220),
        ]);

        Assert.Contains("| `seed-checkout` | 20.0× / 21.0× / 22.0× | 20.0× / 21.0× / 22.0× | 3 |", table);
    }

    [Fact]
    public void TheConditionsRunMostOftenAreQuotedNotTheNewestSingleRun()
    {
        var table = HeadlineRatios.Table(
        [
            Run("n-plus-one-db", "seed", 0, naiveMs: 100),
            Run("n-plus-one-db", "seed", 1, naiveMs: 100),
            Run("n-plus-one-db", "loopback", 2, naiveMs: 30),
        ]);

        Assert.Contains("| 10.0× / 10.0× / 10.0× |", Row(table, "`n-plus-one-db`"));
        Assert.Contains("seed, 20 rps", Row(table, "`n-plus-one-db`"));
    }

    [Fact]
    public void NewerConditionsRunThreeTimesReplaceOlderOnesRunMoreOften()
    {
        static PerfReference.LoadLab.Results.RunResult AtFourRps(int hour, double naiveMs) =>
            Run("n-plus-one-grains", "seed", hour, naiveMs) with { Rate = 4 };

        var table = HeadlineRatios.Table(
        [
            Run("n-plus-one-grains", "seed", 0, naiveMs: 30),
            Run("n-plus-one-grains", "seed", 1, naiveMs: 30),
            Run("n-plus-one-grains", "seed", 2, naiveMs: 30),
            Run("n-plus-one-grains", "seed", 3, naiveMs: 30),
            AtFourRps(4, naiveMs: 200),
            AtFourRps(5, naiveMs: 210),
        ]);
        Assert.Contains("| 3.0× / 3.0× / 3.0× |", Row(table, "`n-plus-one-grains`")); // two runs are not yet a headline's three

        table = HeadlineRatios.Table([.. Enumerable.Range(0, 4).Select(hour => Run("n-plus-one-grains", "seed", hour, naiveMs: 30)),
            AtFourRps(4, naiveMs: 200), AtFourRps(5, naiveMs: 210), AtFourRps(6, naiveMs: 220)]);
        Assert.Contains("| 20.0× / 21.0× / 22.0× |", Row(table, "`n-plus-one-grains`"));
        Assert.Contains("seed, 4 rps", Row(table, "`n-plus-one-grains`"));
    }

    [Fact]
    public void RunsWithAConditionFailedRunsAndJourneysAreNotHeadlines()
    {
        var marked = Run("serialization", "seed", 0, naiveMs: 100) with { Condition = "P99 includes the lab's own lateness (fixed in dc23510)" };
        var failing = Run("lock-contention", "loopback", 0, naiveMs: 100);
        failing = failing with { Variants = [failing.Variants[0] with { Errors = 300 }, failing.Variants[1]] };
        var journey = ResultSamples.Make("seed-checkout", "seed", Monday,
            ("naive", "", 100, null), ("+n-plus-one-db", "", 50, null), ("optimized", "", 10, null));

        var table = HeadlineRatios.Table([marked, failing, journey]);

        Assert.DoesNotContain("`serialization`", table);
        Assert.DoesNotContain("`lock-contention`", table);
        Assert.DoesNotContain("`seed-checkout`", table);
        Assert.StartsWith("No naive-vs-optimized run", table);
    }

    [Fact]
    public void RunsWhoseLinksWereSlowAreQuotedMarkedAndNotMixedWithRunsWhoseLinksWereNot()
    {
        static PerfReference.LoadLab.Results.RunResult Slow(int hour, double naiveMs) =>
            Run("n-plus-one-db", "seed", hour, naiveMs) with { Condition = LinkRoundTrip.SlowerThanProfile };

        var table = HeadlineRatios.Table([Run("n-plus-one-db", "seed", 0, naiveMs: 500), Slow(1, naiveMs: 100), Slow(2, naiveMs: 200)]);

        Assert.Contains("| 10.0× / 15.0× / 20.0× |", Row(table, "`n-plus-one-db`"));
        Assert.Contains("| 2 | 301 | seed, 20 rps (links > 20 % over the profile) |", Row(table, "`n-plus-one-db`"));
    }

    [Fact]
    public void RunsOfFewerThan300RequestsAVariantCountOnlyWhereThereIsNothingBetter()
    {
        var small = Run("n-plus-one-db", "seed", 0, naiveMs: 500);
        small = small with { Variants = [.. small.Variants.Select(v => v with { Count = 60, Errors = 0 })] };

        var table = HeadlineRatios.Table([small, small with { StartedUtc = Monday.AddHours(1) }, Run("n-plus-one-db", "seed", 2, naiveMs: 100), small with { Scenario = "serialization" }]);

        Assert.Contains("| `n-plus-one-db` | 10.0× | 10.0× | 1 | 301 |", table);
        Assert.Contains("| `serialization` | 50.0× | 50.0× | 1 | 60 |", table);
    }

    [Fact]
    public void OneRunShowsItsRatioAlone()
    {
        var table = HeadlineRatios.Table([Run("seed-checkout", "seed", 0, naiveMs: 250)]);

        Assert.Contains("| `seed-checkout` | 25.0× | 25.0× | 1 |", table);
    }

    [Fact]
    public void RewritingReplacesOnlyTheTextBetweenTheMarkers()
    {
        var readme = $"# Title\n\nbefore\n{HeadlineRatios.StartMarker}\nold table\n{HeadlineRatios.EndMarker}\nafter\n";

        var rewritten = HeadlineRatios.Rewrite(readme, "new table\n");

        Assert.Equal($"# Title\n\nbefore\n{HeadlineRatios.StartMarker}\nnew table\n{HeadlineRatios.EndMarker}\nafter\n", rewritten);
        Assert.Equal(rewritten, HeadlineRatios.Rewrite(rewritten!, "new table\n"));
        Assert.Null(HeadlineRatios.Rewrite("# A README without the markers\n", "new table\n"));
    }

    private static PerfReference.LoadLab.Results.RunResult Run(string scenario, string profile, int hour, double naiveMs) =>
        ResultSamples.Make(scenario, profile, Monday.AddHours(hour), ("naive", "", naiveMs, null), ("optimized", "", 10, null));

    private static string Row(string table, string entry) =>
        table.Split('\n').Single(line => line.StartsWith("| " + entry, StringComparison.Ordinal));
}
