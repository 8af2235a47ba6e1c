using PerfReference.LoadLab;
using PerfReference.LoadLab.Drills;
using PerfReference.Topology;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// Every drill the AppHost makes a dashboard command of (<see cref="LabDrills"/>, TopologyModelTests) has a fault in the
/// lab's catalog, which the CLI's 'drill &lt;id&gt;', 'list --drills' (scripts/measure-drills.sh) and the integration
/// tests' theory (DrillTests) are made from — and no fault is there without its drill: the four cannot drift apart.
/// </summary>
public sealed class DrillCatalogTests
{
    [Fact]
    public void EveryDrillOfTheDashboardHasAFaultInTheCatalogInTheSameOrder() =>
        Assert.Equal(LabDrills.All, DrillCatalog.All.Select(drill => drill.Facts));

    [Fact]
    public void TheCliTakesEachDrillByItsIdAndRefusesAnyOtherNamingThemAll()
    {
        Assert.All(LabDrills.All, drill => Assert.Same(drill, DrillCatalog.Require(drill.Id).Facts));

        var refused = Assert.Throws<LabInputException>(() => DrillCatalog.Require("silo-reboot"));

        Assert.All(LabDrills.All, drill => Assert.Contains(drill.Id, refused.Message));
    }
}
