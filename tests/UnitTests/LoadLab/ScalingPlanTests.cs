using PerfReference.LoadLab;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// The capacity plan (docs/scaling.md) is arithmetic over result files: what a request costs comes from the runs and the
/// capacity search its text names, and every pod count is the CPU needed over what a pod carries at the autoscaler's
/// target, computed from the figures as the page shows them.
/// </summary>
public sealed class ScalingPlanTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 30, 7, 0, 0, TimeSpan.Zero);

    private static readonly CapacityResult Search = new()
    {
        Scenario = "seed-checkout",
        StartedUtc = new DateTimeOffset(2026, 11, 29, 23, 37, 37, TimeSpan.Zero),
        FinishedUtc = new DateTimeOffset(2026, 11, 29, 23, 59, 0, TimeSpan.Zero),
        Machine = ResultSamples.Machine,
        Commit = "abc1234",
        Command = "dotnet run -c Release --project src/LoadLab -- capacity seed-checkout --mode phased --profile loopback",
        Profile = "loopback",
        BaseUrl = "http://localhost:5180",
        Setup = "the seed checkout",
        Mode = CapacityResult.Phased,
        SloP99Ms = 500,
        Variants =
        [
            new VariantCapacity("naive", "naive", null, true, 5, "P99 2503 ms > 500 ms"),
            new VariantCapacity("optimized", "optimized", 85.4, true, 128.1, "78.5 % errors > 1 %")
            {
                AtCapacity = [new ServiceCost("orders", 1, 0.39, 219), new ServiceCost("payments", 1, 0.05, 1708), new ServiceCost("silo", 2, 0.13, 656.9)],
            },
        ],
    };

    [Fact]
    public void TheCheckoutCostsEachServicesCoresAtCapacityOverTheRateHeldFromTheNewestLoopbackSearch()
    {
        // A newer search under another network profile is another measurement: the plan's table is loopback's.
        var seedProfile = Search with { StartedUtc = Day.AddDays(6), Profile = "seed" };
        var plan = Plan(new LogInputs([], [Search, seedProfile]));

        Assert.Equal("4.6", plan("orders-cpu checkout"));
        Assert.Equal("1.5 (2 silos)", plan("silo-cpu checkout"));
        Assert.Equal("219", plan("per-core checkout"));
        Assert.Equal("128", plan("broke-at checkout"));
        Assert.Equal("0.39", plan("orders-cores checkout"));
        Assert.Equal("[capacity, 85.4 checkouts/s held at P99 < 500 ms](../results/capacity/seed-checkout/20261129T233737Z-loopback-phased.json)",
            plan("source checkout"));
    }

    [Fact]
    public void ARequestCostsTheMedianOfItsEntrysCurrentLoopbackRunsAndPgBouncerIsASetupOfItsOwn()
    {
        var plan = Plan(new LogInputs(
        [
            Run(Day, naive: (6.5, 44.5, 1.005), optimized: (1.403, 1.106, 0.002)),
            Run(Day.AddMinutes(20), naive: (6.3, 38.0, 1.008), optimized: (0.348, 0.954, 0.008)),
            Run(Day.AddMinutes(40), naive: (5.8, 36.7, 1.002), optimized: (2.481, 0, 0)),
            Run(Day.AddMinutes(60), naive: (4.1, 1.408, 0.005), optimized: (2.2, 1.4, 0.002), "through PgBouncer (transaction pooling)"),
            Run(Day.AddMinutes(80), naive: (4.4, 0.919, 0.002), optimized: (1.9, 1.2, 0.002), "through PgBouncer (transaction pooling)"),
        ]));

        Assert.Equal("1.4", plan("orders-cpu poll"));
        Assert.Equal("1.0", plan("db-cpu poll"));
        Assert.Equal("38", plan("db-cpu poll naive"));
        Assert.Equal("38×", plan("db-ratio poll"));
        Assert.Equal("710", plan("per-core poll")); // 1,000 ÷ 1.4, to two significant figures
        Assert.Equal("0.9–1.4", plan("db-cpu pgbouncer naive"));
        Assert.Equal("0.002–0.005", plan("sessions pgbouncer naive"));
        Assert.StartsWith("connection-pooling, median of 3 runs: [2026-11-30 07:40](../results/connection-pooling/20261130T074000Z-loopback.json), ", plan("source poll"));
        Assert.StartsWith("2 runs: [2026-11-30 08:20](../results/connection-pooling/20261130T082000Z-loopback.json)", plan("source pgbouncer"));
    }

    [Fact]
    public void PodsAreTheCpuNeededOverWhatAPodCarriesAtTheTargetOnTheFiguresAsShown()
    {
        var plan = Plan(new LogInputs([Run(Day, naive: (6, 36, 1), optimized: (1.449, 1.04, 0.005))], [Search]));

        Assert.Equal("0.35", plan("pod-carries"));
        Assert.Equal("300 × 4.6 + 3,000 × 1.4 = 5,580", plan("orders-need"));
        Assert.Equal("16", plan("orders-pods")); // ⌈5.58 ÷ 0.35⌉
        Assert.Equal("55,800", plan("orders-ms ×10"));
        Assert.Equal("160", plan("orders-pods ×10"));
        Assert.Equal("300 × 1.5 = 450", plan("silo-need"));
        Assert.Equal("7", plan("silo-cores ×10")); // ⌈4.5 ÷ 0.7⌉
        Assert.Equal("3,000 × 1.0 = 3,000", plan("db-need"));
        Assert.Equal("4.3", plan("db-cores"));
        Assert.Equal("300", plan("db-cores-flat ×100"));
        Assert.Equal("108", plan("naive-db-cores"));
        Assert.Equal("900", plan("connections")); // 20 pods × 20 + 5 silos × 100
    }

    [Fact]
    public void WithoutResultsEveryMeasuredFigureSaysSoAndTheSettingsStay()
    {
        var plan = Plan(new LogInputs([]));

        Assert.Equal("(not measured yet)", plan("orders-cpu poll"));
        Assert.Equal("(not measured yet)", plan("orders-pods"));
        Assert.Equal("(not measured yet)", plan("source checkout"));
        Assert.Equal("500", plan("orders-request"));
        Assert.Equal("70", plan("target"));
    }

    [Theory]
    [InlineData("{{scaling: pods-per-banana}}")]
    [InlineData("{{scaling: silo-cpu poll}}")]
    [InlineData("{{scaling: orders-cpu}}")]
    public void AnUnknownFigureOfThePlanIsAnErrorThatNamesItAndTheText(string placeholder)
    {
        var error = Assert.Throws<LabInputException>(() => new Placeholders(new LogInputs([])).Fill(placeholder, null, "docs/log/scaling.md"));

        Assert.Contains(placeholder, error.Message);
        Assert.Contains("docs/log/scaling.md", error.Message);
    }

    [Fact]
    public void TheTextsRelativeLinksMoveFromItsFolderToThePagesAndOthersStay()
    {
        const string text = "[manifests](../../deploy/kubernetes/README.md), [goals](goals.md), [Redis](https://redis.io/docs/), [below](#a-target-load)";

        Assert.Equal("[manifests](../deploy/kubernetes/README.md), [goals](log/goals.md), [Redis](https://redis.io/docs/), [below](#a-target-load)",
            ScalingPage.FromTextsFolder(text));
    }

    private static Func<string, string> Plan(LogInputs inputs) =>
        body => new Placeholders(inputs).Fill($"{{{{scaling: {body}}}}}", null, "docs/log/scaling.md");

    private static RunResult Run(DateTimeOffset started, (double Cpu, double Db, double Sessions) naive, (double Cpu, double Db, double Sessions) optimized,
        string? condition = null)
    {
        var run = ResultSamples.Make("connection-pooling", "loopback", started, ("naive", "naive", 20, 1), ("optimized", "optimized", 5, 1));
        return run with
        {
            Condition = condition,
            Variants = [run.Variants[0] with { Runtime = Runtime(naive) }, run.Variants[1] with { Runtime = Runtime(optimized) }],
        };
    }

    private static ServiceRuntime Runtime((double Cpu, double Db, double Sessions) cost) => new(290, 300, 13_000, cost.Cpu, 0, cost.Db, cost.Sessions);
}
