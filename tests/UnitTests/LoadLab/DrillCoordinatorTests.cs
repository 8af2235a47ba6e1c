using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using PerfReference.LoadLab.Serve;
using PerfReference.Topology;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// What <c>GET /drills/current</c> tells a script that waits for a drill (scripts/measure-drills.sh): the drill started,
/// and once it has ended, how — here a drill that cannot reach the system (nothing listens on its addresses): it ends
/// with its error and no result, and the lab is free for the next.
/// </summary>
public sealed class DrillCoordinatorTests
{
    [Fact]
    public async Task ADrillThatCannotRunEndsIdleWithItsErrorAndNoResultAndTheLabIsFreeAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        var nowhere = "127.0.0.1:1"; // a port nothing listens on: refused at once
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LoadLab:BaseUrl"] = $"http://{nowhere}",
            ["ConnectionStrings:ordersdb"] = "Host=127.0.0.1;Port=1;Username=lab;Password=lab",
            ["ConnectionStrings:cache"] = nowhere,
            ["services:payments:grpc:0"] = $"http://{nowhere}",
            ["LoadLab:PaymentsAdminKey"] = "key",
            ["LoadLab:Results"] = Path.GetTempPath(),
        }).Build();
        var slot = new LabSlot();
        var drills = new DrillCoordinator(slot, configuration, new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), NullLogger<DrillCoordinator>.Instance);

        Assert.Equal(new DrillStatus(RunState.Idle, null, null, null, null, null, null), drills.Status());
        Assert.True(drills.TryStart(drills.Prepare(new DrillRequest("silo-kill", Rate: 8, Duration: "10s"))));

        var status = drills.Status();
        for (var waited = 0; status.LastDrill is null && waited < 300; waited++)
        {
            await Task.Delay(100, ct);
            status = drills.Status();
        }

        Assert.Equal((RunState.Idle, "silo-kill", "silo-kill"), (status.State, status.Drill, status.LastDrill));
        Assert.NotNull(status.StartedUtc);
        Assert.Null(status.LastResult);
        Assert.Null(status.LastPassed);
        Assert.False(string.IsNullOrEmpty(status.LastError));
        Assert.Null(slot.Busy);
    }
}
