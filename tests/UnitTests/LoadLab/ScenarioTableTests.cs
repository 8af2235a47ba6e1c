using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.UnitTests.LoadLab;

public sealed class ScenarioTableTests
{
    [Fact]
    public void EveryScenarioIsABuiltEntryOrTheSeedJourney() =>
        Assert.All(ScenarioTable.All, s => Assert.True(s.Id == PerfCatalog.SeedCheckoutScenario || PerfCatalog.Find(s.Id)?.IsBuilt == true, s.Id));

    [Fact]
    public void TheLabHasAScenarioForEachOfTheAppHostsInItsOrder() =>
        Assert.Equal(LabScenarios.All.Select(s => s.Id), ScenarioTable.All.Select(s => s.Id));

    [Fact]
    public void ARunThatNamesNoLoadTakesItsScenariosOwn()
    {
        var run = RunOptions.Create(CatalogIds.NPlusOneGrains, null, null, null, "seed", null, Path.GetTempPath(), journey: false);
        var journey = RunOptions.Create(CatalogIds.SeedCheckout, null, null, null, "seed", null, Path.GetTempPath(), journey: true);
        var mobile = RunOptions.Create(CatalogIds.Compression, null, null, null, "seed", null, Path.GetTempPath(), journey: false, clientProfile: "mobile");
        var given = RunOptions.Create(CatalogIds.NPlusOneGrains, 2, null, "1s", "seed", null, Path.GetTempPath(), journey: false);

        Assert.Equal((4.0, TimeSpan.FromSeconds(150), TimeSpan.FromSeconds(5)), (run.Rate, run.Duration, run.Warmup));
        Assert.Equal((3.0, TimeSpan.FromSeconds(720)), (journey.Rate, journey.Duration));
        Assert.Equal((1.0, TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(10)), (mobile.Rate, mobile.Duration, mobile.Warmup));
        Assert.Equal((2.0, TimeSpan.FromSeconds(150), TimeSpan.FromSeconds(1)), (given.Rate, given.Duration, given.Warmup));
        Assert.Contains("--rate 4 --duration 150s --warmup 5s", run.Command());
    }

    [Fact]
    public void EveryScenarioLoadGivesEachVariantAtLeast300MeasuredRequests()
    {
        // The journey's steps too: a step's P99 of thirty requests was its slowest request.
        foreach (var scenario in ScenarioTable.All)
        {
            var loads = scenario.Facts.ClientLinkLoads.Values.Append(scenario.Facts.Load).Select(load => (Load: load, Journey: false))
                .Concat(scenario.Facts.JourneyLoad is { } staircase ? [(staircase, true)] : []);
            foreach (var (load, journey) in loads)
            {
                // Interleaved, the variants share the rate; one after the other, each has it for the whole duration.
                var perVariant = load.Rate * load.Duration.TotalSeconds / (scenario.IsPhased ? 1 : scenario.Variants(journey).Count);
                Assert.True(perVariant >= 300, $"{scenario.Id}{(journey ? " --journey" : "")}: {perVariant} requests a variant");
            }
        }
    }

    [Fact]
    public void EveryPassOfMeasureAllRunsEachScenarioOfItsSetupAndSaysHowLongItsLoadsTake()
    {
        var seed = MeasurementPasses.All.Single(p => p.Arguments == "seed");

        Assert.Contains(seed.Runs, r => r.Scenario.Id == PerfCatalog.SeedCheckoutScenario && r.Journey && r.Times == 1);
        Assert.All(seed.Runs.Where(r => !r.Journey && r.Scenario.Facts.MeasuredOn == MeasuredOn.Network), r => Assert.Equal(MeasurementPasses.Repeats, r.Times));
        // The journey alone: seven steps interleaved, its load's duration and warm-up once.
        var journey = seed.Runs.Single(r => r.Journey);
        Assert.Equal(journey.Scenario.Facts.JourneyLoad!.Duration + journey.Scenario.Facts.JourneyLoad.Warmup, journey.LoadTime);
        // A phased scenario runs each variant for the whole load.
        var pooling = MeasurementPasses.All.Single(p => p.Arguments == "loopback pgbouncer").Runs.Single();
        Assert.Equal((pooling.Scenario.Facts.Load.Duration + pooling.Scenario.Facts.Load.Warmup) * 2 * MeasurementPasses.Repeats, pooling.LoadTime);
        Assert.Equal(seed.Runs.Aggregate(TimeSpan.Zero, (sum, r) => sum + r.LoadTime), seed.LoadTime);
    }

    [Fact]
    public void AnEntryScenarioChangesOneThing()
    {
        foreach (var scenario in ScenarioTable.All.Where(s => s.Entry is not null))
        {
            var (naive, optimized) = (Parse(scenario.Variants(false)[0]), Parse(scenario.Variants(false)[1]));

            // The variants differ in the scenario's entry alone; the rest is naive in both, or optimized in both.
            Assert.Equal([scenario.Id], PerfCatalog.All.Where(entry => naive.IsOptimized(entry) != optimized.IsOptimized(entry)).Select(e => e.Id));
            Assert.False(naive.IsOptimized(scenario.Entry!));
            Assert.Equal(scenario.OnTopOfOptimized ? PerfCatalog.All.Count - 1 : 0, PerfCatalog.All.Count(naive.IsOptimized));
        }
    }

    [Fact]
    public void TheJourneyAddsOneFixPerStepInTheSeedOrder()
    {
        var steps = ScenarioTable.Find(PerfCatalog.SeedCheckoutScenario)!.Variants(journey: true);

        Assert.Equal(["naive", "+n-plus-one-db", "+payment-async", "+payment-deferred", "+serialization", "+compression", "optimized"], steps.Select(v => v.Label));
        var optimizedCounts = steps.Select(v => PerfCatalog.All.Count(Parse(v).IsOptimized)).ToArray();
        Assert.Equal([0, 1, 2, 3, 4, 5, PerfCatalog.All.Count], optimizedCounts);
    }

    private static PerfSelection Parse(Variant variant) => PerfSelection.Parse(variant.Header, PerfVariant.Naive);
}
