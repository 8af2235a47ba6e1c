using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;

namespace PerfReference.UnitTests.LoadLab;

public sealed class ScenarioTableTests
{
    [Fact]
    public void EveryScenarioIsABuiltEntryOrTheSeedJourney() =>
        Assert.All(ScenarioTable.All, s => Assert.True(s.Id == PerfCatalog.SeedCheckoutScenario || PerfCatalog.Find(s.Id)?.IsBuilt == true, s.Id));

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
