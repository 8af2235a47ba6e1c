using PerfReference.LoadLab;
using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>The capacity search's stepping and stop rules, as pure functions: which rates it offers, when a step breaks the service level, what capacity the steps give.</summary>
public sealed class CapacityPlanTests
{
    private static readonly CapacityPlan Plan = new(StartRate: 2, Factor: 1.5, MaxRate: 20, Step: TimeSpan.FromSeconds(10), SloP99Ms: 500, MaxErrorPercent: 1);

    [Fact]
    public void TheRateClimbsByTheFactorFromTheStartAndNeverPassesTheMaximum()
    {
        Assert.Equal([2, 3, 4.5, 6.8, 10.1, 15.2], Plan.Rates());
    }

    [Fact]
    public void RatesThatRoundToTheSameTenthAreOfferedOnce()
    {
        var plan = Plan with { StartRate = 0.1, Factor = 1.1, MaxRate = 0.4 };

        Assert.Equal([0.1, 0.2, 0.3, 0.4], plan.Rates());
    }

    [Fact]
    public void AStepHoldsAtTheServiceLevelAndBreaksJustAboveIt()
    {
        Assert.True(Plan.Judge(requests: 300, errors: 3, p99Ms: 500).IsHeld); // exactly 1 % and exactly the SLO still hold
        Assert.Equal("P99 501 ms > 500 ms", Plan.Judge(300, 0, 500.5).Reason);
        Assert.Equal("1.3 % errors > 1 %", Plan.Judge(300, 4, 20).Reason);
    }

    [Fact]
    public void ErrorsAreJudgedBeforeLatencyAndAStepWithoutAnswersBreaks()
    {
        Assert.Equal("50 % errors > 1 %", Plan.Judge(10, 5, 9_000).Reason);
        Assert.Equal("no request was answered", Plan.Judge(0, 0, 0).Reason);
    }

    [Fact]
    public void CapacityIsTheLastRateHeldBeforeTheFirstBreak()
    {
        var sustained = CapacityPlan.Sustained([(2, true), (3, true), (4.5, false), (6.8, true)], out var bounded);

        Assert.Equal(3, sustained);
        Assert.True(bounded);
    }

    [Fact]
    public void ABreakThatDoesNotRepeatAtTheSameRateIsAStallNotACapacity()
    {
        (double, bool)[] steps = [(2, true), (3, false), (3, true), (4.5, false), (4.5, false), (6.8, true)];

        Assert.Equal(3, CapacityPlan.Sustained(steps, out var bounded));
        Assert.True(bounded);
        Assert.True(CapacityPlan.IsUnconfirmedBreak(steps, 1));
        Assert.False(CapacityPlan.IsUnconfirmedBreak(steps, 3));
        Assert.False(CapacityPlan.IsUnconfirmedBreak([(3, false)], 0)); // nothing after it: the climb ended there
    }

    [Fact]
    public void AVariantThatNeverBrokeHasALowerBoundAndOneThatBrokeAtOnceHasNone()
    {
        Assert.Equal(10.1, CapacityPlan.Sustained([(2, true), (10.1, true)], out var neverBroke));
        Assert.False(neverBroke);

        Assert.Null(CapacityPlan.Sustained([(2, false)], out var brokeAtOnce));
        Assert.True(brokeAtOnce);
    }

    [Theory]
    [InlineData("--mode", "sideways", "capacity mode")]
    [InlineData("--factor", "1", "must be above 1")]
    [InlineData("--step", "500ms", "at least 1s")]
    [InlineData("--max-errors", "100", "percentage")]
    [InlineData("--max-rate", "1", "at least the start rate")]
    [InlineData("--slo", "fast", "not a duration")]
    public void ASearchThatCannotClimbIsRefusedWithTheOptionNamed(string option, string value, string says)
    {
        string Pick(string name, string fallback) => option == name ? value : fallback;
        var error = Assert.Throws<LabInputException>(() => CapacityOptions.Create("n-plus-one-db", Pick("--mode", "phased"), Pick("--slo", "500ms"),
            double.Parse(Pick("--max-errors", "1")), 2, double.Parse(Pick("--factor", "1.5")), Pick("--step", "10s"),
            double.Parse(Pick("--max-rate", "100")), "5s", "loopback", null, "/tmp/results"));

        Assert.Contains(option, error.Message);
        Assert.Contains(says, error.Message);
    }

    [Fact]
    public void TheCommandReproducesTheSearch()
    {
        var options = CapacityOptions.Create("seed-checkout", "Interleaved", "750ms", 2, 1, 2, "15s", 64, "3s", "seed", null, "/tmp/results");

        Assert.Equal("dotnet run -c Release --project src/LoadLab -- capacity seed-checkout --mode interleaved --slo 750ms --max-errors 2 " +
                     "--start-rate 1 --factor 2 --step 15s --max-rate 64 --warmup 3s --profile seed", options.Command());
        Assert.Equal(TimeSpan.FromMilliseconds(7_500), options.RequestTimeout);
    }

    [Fact]
    public void AServicesCostAtCapacityIsItsCpuDuringTheStepSummedOverItsProcesses()
    {
        MeterSample Cpu(double at, double cores) => new(at, cores, 100, 50, 1, 0, 0, 4, 0, 0);
        var step = new CapacityStep("optimized", Rate: 120, FromSeconds: 10, ToSeconds: 20, 1_200, 0, 120, 5, 20, 30, true, null);
        var signals = new[]
        {
            new ProcessSignals("orders", 1, [Cpu(9, 1.9), Cpu(15, 0.5), Cpu(20, 0.7)]), // the sample at 9 s belongs to the step before
            new ProcessSignals("silo", 2, [Cpu(12, 0.2), Cpu(18, 0.2)]),
            new ProcessSignals("silo", 3, [Cpu(12, 0.1), Cpu(18, 0.1)]),
            new ProcessSignals("payments", 4, [], "could not attach"),
        };

        var costs = ServiceCost.During(step, signals);

        Assert.Equal([new ServiceCost("orders", 1, 0.6, 200), new ServiceCost("silo", 2, 0.3, 400)], costs);
    }

    [Fact]
    public void ACapacityRatioIsALowerBoundWhenTheBaselineBrokeAtOnceOrTheOtherNeverBroke()
    {
        var brokeAtOnce = new VariantCapacity("naive", "naive", null, true, 2, "P99 897 ms > 500 ms");
        var held = new VariantCapacity("optimized", "optimized", 115.3, true, 173, "P99 4530 ms > 500 ms");
        var neverBroke = held with { Bounded = false, BrokeAtRate = null };

        Assert.Equal("> 57.6×", CapacityFigures.Ratio(brokeAtOnce, held));
        Assert.Equal("≥ 1.0×", CapacityFigures.Ratio(held, neverBroke));
        Assert.Equal("–", CapacityFigures.Ratio(held, brokeAtOnce));
    }
}
