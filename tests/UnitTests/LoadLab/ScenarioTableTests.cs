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

            Assert.All(PerfCatalog.All, entry => Assert.False(naive.IsOptimized(entry)));
            Assert.Equal([scenario.Id], PerfCatalog.All.Where(optimized.IsOptimized).Select(e => e.Id));
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
