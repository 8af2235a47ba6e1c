using System.Text;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>The log's goals: each figure computed from the results, met or not, and what stands in the way of one not met.</summary>
public sealed class GoalsSectionTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);

    private const string Text = """
        Each goal against its newest figure.

        - `compression`: the link is slow.
        - `n-plus-one-grains`: never shown, since the goal is met.
        """;

    [Fact]
    public void EachGoalShowsItsFigureFromTheResultsWhetherItIsMetAndWhatStandsInTheWayOfOneNotMet()
    {
        var inputs = new GoalsSection.Inputs(
            [
                Run("n-plus-one-grains", 0, naiveMs: 100), Run("n-plus-one-grains", 1, naiveMs: 300), Run("n-plus-one-grains", 2, naiveMs: 250),
                Run("compression", 3, naiveMs: 25) with { ClientProfile = "mobile" },
                Run("compression", 4, naiveMs: 900), // the seed datacenter's own client: not the goal's link
                Run("cache-warming", 5, naiveMs: 60, optimizedDb: 0.005),
            ],
            [Capacity(optimizedSustained: 22.8)],
            [CeilingTests.Result(TelemetryState.On, "2026-12-01T10:00:00Z", (1_000, 400), (1_000, 400), (1_000, 400)),
             CeilingTests.Result(TelemetryState.Sampled, "2026-12-01T10:30:00Z", (1_000, 460), (1_000, 460), (1_000, 460)),
             CeilingTests.Result(TelemetryState.Off, "2026-12-01T11:00:00Z", (1_000, 500), (1_000, 500), (1_000, 500))]);
        var md = new StringBuilder();

        GoalsSection.Append(md, inputs, Text);

        var log = md.ToString();
        Assert.StartsWith("## The goals\n\nEach goal against its newest figure.\n\n| goal | target | measured | met | what stands in the way |\n", log);
        Assert.Contains("| `n-plus-one-grains`, naive ÷ optimized | P99 ≥ 20× under `seed` | 25.0× (median of 3 runs: 10.0× / 25.0× / 30.0×) " +
                        "(seed, 20 rps, ≥ 301 requests a variant; 2026-11-30) | **met** |  |", log);
        Assert.Contains("| 2.5× (one run) (seed, client link mobile, 20 rps, ≥ 301 requests a variant; 2026-11-30) | not met | the link is slow. |", log);
        Assert.Contains("| 6.0× (one run); lowest hit ratio of the runs 99.5 % (seed, 20 rps, ≥ 301 requests a variant; 2026-11-30) | **met** |", log);
        Assert.Contains("| 22.8 requests/s within P99 50 ms (2026-11-30) | **met** |", log);
        Assert.Contains("| seed checkout, naive ÷ optimized | P99 ≥ 40× under `seed` | not measured yet | – |  |", log);
        Assert.Contains("| 40.0 % (rounds: 40.0 % / 40.0 % / 40.0 %) (loopback, 16 in flight; 2026-12-01) | not met |", log);
        // 1 − 400 ÷ 500 with every trace, 1 − 460 ÷ 500 sampled: sampling meets the goal.
        Assert.Contains("| on: 20.0 %, sampled: 8.0 % (loopback, 16 in flight; 2026-12-01) | **met** |", log);
    }

    [Fact]
    public void AGoalIsNotMetBelowItsTargetAndCacheWarmingNeedsBothItsRatioAndItsHits()
    {
        var fewHits = new GoalsSection.Inputs([Run("cache-warming", 0, naiveMs: 60, optimizedDb: 0.02)], [Capacity(optimizedSustained: 15.2)], []);
        var md = new StringBuilder();

        GoalsSection.Append(md, fewHits, null);

        var log = md.ToString();
        Assert.Contains("lowest hit ratio of the runs 98.0 % (seed, 20 rps, ≥ 301 requests a variant; 2026-11-30) | not met |", log);
        Assert.Contains("| 15.2 requests/s within P99 50 ms (2026-11-30) | not met |", log);
        var broke = new GoalsSection.Inputs([], [Capacity(optimizedSustained: null)], []);
        var brokeAtOnce = new StringBuilder();
        GoalsSection.Append(brokeAtOnce, broke, null);
        Assert.Contains("| none: the optimized variant broke at the search's first step, 2 requests/s (P99 80 ms > 50 ms) (2026-11-30) | not met |", brokeAtOnce.ToString());
        Assert.Contains("| what traces and metrics cost the cached read's maximum throughput | ≤ 10 %, or sampling chosen and explained | not measured yet | – |  |", log);
    }

    [Fact]
    public void TheTextSplitsIntoAnIntroductionAndOneLinePerGoal()
    {
        var (introduction, inTheWay) = GoalsSection.Parse(Text);

        Assert.Equal("Each goal against its newest figure.", introduction);
        Assert.Equal("the link is slow.", inTheWay["compression"]);
        Assert.Equal(2, inTheWay.Count);
    }

    private static RunResult Run(string scenario, int hour, double naiveMs, double? optimizedDb = null) =>
        ResultSamples.Make(scenario, "seed", Monday.AddHours(hour), ("naive", "", naiveMs, null), ("optimized", "", 10, optimizedDb));

    private static CapacityResult Capacity(double? optimizedSustained) => new()
    {
        Scenario = "seed-checkout",
        Title = "The seed checkout",
        StartedUtc = Monday,
        FinishedUtc = Monday.AddMinutes(5),
        Mode = "phased",
        SloP99Ms = 50,
        MaxErrorPercent = 1,
        StartRate = 2,
        Factor = 1.5,
        StepSeconds = 20,
        MaxRate = 200,
        Profile = "seed",
        BaseUrl = "http://127.0.0.1:5190",
        Setup = "customers 1..100",
        Machine = ResultSamples.Machine,
        Commit = "abc1234",
        Command = "dotnet run -c Release --project src/LoadLab -- capacity seed-checkout --slo 50ms",
        Variants = [new VariantCapacity("naive", "naive", null, true, 2, "100 % errors"), new VariantCapacity("optimized", "optimized", optimizedSustained, true, optimizedSustained is null ? 2 : 34.2, "P99 80 ms > 50 ms")],
    };
}
