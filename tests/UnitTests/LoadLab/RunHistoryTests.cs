using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// Which runs the log quotes and which newer ones replaced: the newest up to three runs of a setup at one rate, a rate
/// tried once not displacing three runs, failed runs and runs whose P99 is off never quoted, the newest capacity search
/// of each profile and service level whatever marks the older ones lack.
/// </summary>
public sealed class RunHistoryTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ThreeRunsGiveTheLowestMedianAndHighestRatioWithTheAbsoluteFigures()
    {
        var quote = P99([Run("n-plus-one-db", 0, naiveMs: 100), Run("n-plus-one-db", 1, naiveMs: 200), Run("n-plus-one-db", 2, naiveMs: 50)], "n-plus-one-db");

        Assert.Equal("5.0× / 10.0× / 20.0×", quote.Ratio);
        Assert.Equal(10.0, quote.Improvement!.Value, 1);
        Assert.StartsWith("148–592 ms", quote.Naive); // the P99s of 50, 100 and 200 ms runs of the sample's skewed latencies
        Assert.Equal("29.6 ms", quote.Optimized);
        Assert.Equal("`seed`, 20 requests/s, 301 requests a variant", quote.Conditions);
        Assert.Equal("3 runs", quote.Count);
    }

    [Fact]
    public void TheNewestThreeRunsAreCurrentAndTheOlderOnesAreEarlier()
    {
        var runs = Enumerable.Range(0, 5).Select(hour => Run("seed-checkout", hour, naiveMs: 100 + 10 * hour)).ToArray();

        var setup = History(runs, "seed-checkout").Setups.Single();

        Assert.Equal([runs[4], runs[3], runs[2]], setup.Current);
        Assert.Equal([runs[1], runs[0]], setup.Earlier);
    }

    [Fact]
    public void TheNewestRateReplacesOlderOnesAndARunWhoseP99CountedTheLabsLatenessGivesWayToAnyOther()
    {
        RunResult AtFour(int hour) => Run("n-plus-one-grains", hour, naiveMs: 200) with { Rate = 4 };
        var older = Enumerable.Range(0, 3).Select(hour => Run("n-plus-one-grains", hour, naiveMs: 30)).ToArray();

        var setup = History([.. older, AtFour(4), AtFour(5)], "n-plus-one-grains").Setups.Single();
        Assert.All(setup.Current, r => Assert.Equal(4, r.Rate));
        Assert.Equal(older.Reverse(), setup.Earlier);

        // A soak measured once on a shared machine replaces two older ones whose P99 counted the lab's lateness.
        var late = Enumerable.Range(0, 2).Select(hour => Run("memory-leak", hour, naiveMs: 30) with { Condition = "P99 includes the lab's own lateness (fixed in dc23510)" }).ToArray();
        var shared = Run("memory-leak", 5, naiveMs: 30) with { Condition = "machine shared with three builds: latencies are not the system's; heap figures hold" };
        var soak = History([.. late, shared], "memory-leak");
        Assert.Equal([shared], soak.Quoted.Single().Current);
        Assert.Equal([.. late.Reverse()], soak.EarlierRuns);
    }

    [Fact]
    public void ARunInWhichAVariantFailedOrWhoseP99IsOffIsNeverQuoted()
    {
        var failing = Run("lock-contention", 0, naiveMs: 100);
        failing = failing with { Variants = [failing.Variants[0] with { Errors = 300 }, failing.Variants[1] with { Errors = 300 }] };
        var late = Run("serialization", 0, naiveMs: 100) with { Condition = "P99 includes the lab's own lateness (fixed in dc23510)" };
        var inputs = new LogInputs([failing, late]);

        Assert.Empty(inputs.HistoryOf("lock-contention").Quoted);
        Assert.Equal([failing], inputs.HistoryOf("lock-contention").EarlierRuns);
        Assert.Null(ProvingMetric.P99().Quote(inputs, "serialization")); // its P99 counted the lab's own lateness
    }

    [Fact]
    public void ARunUnderAnotherSetupIsKeptApartAndMarksAreNotASetup()
    {
        var pgbouncer = Run("connection-pooling", 0, naiveMs: 30) with { Condition = "through PgBouncer (transaction pooling)" };
        var slow = Run("connection-pooling", 1, naiveMs: 40) with { Condition = LinkRoundTrip.SlowerThanProfile };
        var both = Run("connection-pooling", 2, naiveMs: 50) with { Condition = $"through PgBouncer (transaction pooling); {LinkRoundTrip.SlowerThanProfile}" };

        var setups = History([pgbouncer, slow, both], "connection-pooling").Setups;

        Assert.Equal([null, "through PgBouncer (transaction pooling)"], setups.Select(s => s.Setup.Condition));
        Assert.Equal(2, setups[1].Current.Count + setups[1].Earlier.Count);
        Assert.True(RunMarks.SlowLinks(both));
        Assert.Equal("machine shared with three builds: latencies are not the system's; heap figures hold",
            RunMarks.MarksOf("machine shared with three builds: latencies are not the system's; heap figures hold").Single());
    }

    [Fact]
    public void RunsOfFewerThan300RequestsAVariantAreCurrentOnlyWhereThereIsNothingBetter()
    {
        var small = Run("n-plus-one-db", 0, naiveMs: 500);
        small = small with { Variants = [.. small.Variants.Select(v => v with { Count = 60, Errors = 0 })] };

        var history = History([small, small with { StartedUtc = Monday.AddHours(1) }, Run("n-plus-one-db", 2, naiveMs: 100)], "n-plus-one-db");

        Assert.Single(history.Setups.Single().Current);
        Assert.Equal("10.0×", P99([small, Run("n-plus-one-db", 2, naiveMs: 100)], "n-plus-one-db").Ratio);
        Assert.Equal("50.0×", P99([small with { Scenario = "serialization" }], "serialization").Ratio);
    }

    [Fact]
    public void TheNewestCapacitySearchOfEachProfileAndServiceLevelIsCurrentWhateverMarksTheOlderOneLacks()
    {
        var older = GoalsSectionTests.Capacity(22.8, sloMs: 500) with { Scenario = "lock-contention" };
        var newer = older with { StartedUtc = Monday.AddHours(5), Condition = LinkRoundTrip.SlowerThanProfile, Variants = [older.Variants[0], older.Variants[1] with { SustainedRate = 432.5, Bounded = false }] };
        var otherLevel = older with { SloP99Ms = 5000 };

        var history = new LogInputs([], [older, newer, otherLevel]).HistoryOf("lock-contention");

        Assert.Equal([newer, otherLevel], history.Capacities);
        Assert.Equal([older], history.EarlierCapacities);
    }

    [Fact]
    public void RewritingTheReadmeReplacesOnlyTheTextBetweenTheMarkers()
    {
        var readme = $"# Title\n\nbefore\n{ReadmeFindings.StartMarker}\nold findings\n{ReadmeFindings.EndMarker}\nafter\n";

        var rewritten = ReadmeFindings.Rewrite(readme, "new findings\n");

        Assert.Equal($"# Title\n\nbefore\n{ReadmeFindings.StartMarker}\nnew findings\n{ReadmeFindings.EndMarker}\nafter\n", rewritten);
        Assert.Equal(rewritten, ReadmeFindings.Rewrite(rewritten!, "new findings\n"));
        Assert.Null(ReadmeFindings.Rewrite("# A README without the markers\n", "new findings\n"));
    }

    internal static RunResult Run(string scenario, int hour, double naiveMs, string profile = "seed") =>
        ResultSamples.Make(scenario, profile, Monday.AddHours(hour), ("naive", "", naiveMs, null), ("optimized", "", 10, null));

    private static RunHistory History(IReadOnlyList<RunResult> runs, string scenario) => new LogInputs(runs).HistoryOf(scenario);

    private static Quote P99(IReadOnlyList<RunResult> runs, string scenario) => ProvingMetric.P99().Quote(new LogInputs(runs), scenario)!;
}
