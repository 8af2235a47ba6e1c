using System.Text;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// The log's goals: each figure computed from the results; met, not yet, or out of reach by the bound (then restated as
/// a share of it); and what stands in the way of one not met.
/// </summary>
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
        var inputs = new LogInputs(
            [
                Run("n-plus-one-grains", 0, naiveMs: 100), Run("n-plus-one-grains", 1, naiveMs: 300), Run("n-plus-one-grains", 2, naiveMs: 250),
                Run("compression", 3, naiveMs: 25) with { ClientProfile = "mobile" },
                Run("compression", 4, naiveMs: 900), // the seed datacenter's own client: not the goal's link
                Run("cache-warming", 5, naiveMs: 60, optimizedDb: 0.005),
            ],
            [Capacity(optimizedSustained: 22.8)],
            null,
            [CeilingTests.Result(TelemetryState.On, "2026-12-01T10:00:00Z", (1_000, 400), (1_000, 400), (1_000, 400)),
             CeilingTests.Result(TelemetryState.Sampled, "2026-12-01T10:30:00Z", (1_000, 460), (1_000, 460), (1_000, 460)),
             CeilingTests.Result(TelemetryState.Off, "2026-12-01T11:00:00Z", (1_000, 500), (1_000, 500), (1_000, 500))]);
        var md = new StringBuilder();

        GoalsSection.Append(md, inputs, GoalsSection.Parse(Text).InTheWay);

        var log = md.ToString();
        Assert.StartsWith("| goal | target | measured | the bound allows | status | what stands in the way |\n", log);
        // No link probed and loopback-free profile: the bound counts the client's link at the profile's round trip.
        Assert.Contains("| `n-plus-one-grains`, naive ÷ optimized | P99 ≥ 20× under `seed` | 25.0× (median of 3 runs: 10.0× / 25.0× / 30.0×) " +
                        "(seed, 20 requests/s, ≥ 301 requests a variant; 2026-11-30) |", log);
        Assert.Contains("| 2.5× (one run) (seed, client link mobile, 20 requests/s, ≥ 301 requests a variant; 2026-11-30) |", log);
        Assert.EndsWith("| the link is slow. |", log.Split('\n').Single(line => line.StartsWith("| `compression`", StringComparison.Ordinal)));
        Assert.Contains("lowest hit ratio of the runs 99.5 % (seed, 20 requests/s, ≥ 301 requests a variant; 2026-11-30) |", log);
        Assert.Contains("| 22.8 requests/s within P99 50 ms (2026-11-30) |", log);
        Assert.Contains("| seed checkout, naive ÷ optimized | P99 ≥ 40× under `seed` | not measured yet | – | not yet |  |", log);
        Assert.Contains("| 40.0 % (rounds: 40.0 % / 40.0 % / 40.0 %) (loopback, 16 in flight; 2026-12-01) | – | not yet |", log);
        // 1 − 400 ÷ 500 with every trace, 1 − 460 ÷ 500 sampled: sampling meets the goal.
        Assert.Contains("| on: 20.0 %, sampled: 8.0 % (loopback, 16 in flight; 2026-12-01) | – | **met** |", log);
    }

    [Fact]
    public void AGoalIsNotYetMetBelowItsTargetAndCacheWarmingNeedsBothItsRatioAndItsHits()
    {
        var fewHits = new LogInputs([Run("cache-warming", 0, naiveMs: 60, optimizedDb: 0.02)], [Capacity(optimizedSustained: 15.2)]);
        var md = new StringBuilder();

        GoalsSection.Append(md, fewHits, new Dictionary<string, string>());

        var log = md.ToString();
        Assert.Matches(@"lowest hit ratio of the runs 98 % \(seed, 20 requests/s, ≥ 301 requests a variant; 2026-11-30\) \| [^|]+ \| not yet \|", log);
        Assert.Contains("| 15.2 requests/s within P99 50 ms (2026-11-30) | – | not yet |", log);
        var brokeAtOnce = new StringBuilder();
        GoalsSection.Append(brokeAtOnce, new LogInputs([], [Capacity(optimizedSustained: null)]), new Dictionary<string, string>());
        Assert.Contains("| none: the optimized variant broke at the search's first step, 2 requests/s (P99 80 ms > 50 ms) (2026-11-30) | – | not yet |", brokeAtOnce.ToString());
        Assert.Contains("| what traces and metrics cost the cached read's maximum throughput | ≤ 10 %, or sampling chosen and explained | not measured yet | – | not yet |  |", log);
    }

    [Fact]
    public void AGoalTheBoundPutsOutOfReachBecomesAShareOfTheBound()
    {
        // Loopback, variants in turn: no link to count, so the optimized bound is the CPU the service spent, 4 ms.
        static RunResult Pooling(int hour) => BoundTests.InTurn(Run("connection-pooling", hour, naiveMs: 15, profile: "loopback"), optimizedCpuMs: 4, optimizedDbCpuMs: 2);
        var md = new StringBuilder();

        GoalsSection.Append(md, new LogInputs([Pooling(0), Pooling(1), Pooling(2)]), new Dictionary<string, string>(), "connection-pooling");

        var row = md.ToString().Split('\n').Single(line => line.StartsWith("| `connection-pooling`", StringComparison.Ordinal));
        // Naive P99 ≈ 44 ms over an optimized bound of 4 ms: at most 11×, far from 50×; the optimized P99 ≈ 29.6 ms is 7.4× its bound.
        Assert.Contains("| at most 11.1× | out of reach; restated as a share of the bound, the optimized P99 within 2× of its bound (it is 7.4× its bound): not yet |", row);
    }

    [Fact]
    public void TheTextSplitsIntoAnIntroductionAndOneLinePerGoal()
    {
        var (introduction, inTheWay) = GoalsSection.Parse(Text);

        Assert.Equal("Each goal against its newest figure.", introduction);
        Assert.Equal("the link is slow.", inTheWay["compression"]);
        Assert.Equal(2, inTheWay.Count);
    }

    private static RunResult Run(string scenario, int hour, double naiveMs, double? optimizedDb = null, string profile = "seed") =>
        ResultSamples.Make(scenario, profile, Monday.AddHours(hour), ("naive", "", naiveMs, null), ("optimized", "", 10, optimizedDb));

    internal static CapacityResult Capacity(double? optimizedSustained, double sloMs = 50) => new()
    {
        Scenario = "seed-checkout",
        Title = "The seed checkout",
        StartedUtc = Monday,
        FinishedUtc = Monday.AddMinutes(5),
        Mode = "phased",
        SloP99Ms = sloMs,
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
