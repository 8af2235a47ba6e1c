using PerfReference.Hosting.Processes;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using PerfReference.LoadLab.Drills;
using PerfReference.Topology;

namespace PerfReference.IntegrationTests.Reliability;

/// <summary>
/// A topology of the drills' own: they kill its processes and break its connections, which the
/// shared topology's other tests must not see. It runs under the datacenter network profile (0.5 ms a round trip):
/// the silos run behind their network links, which the silo-cut-off drill cuts, as the drills for the record run
/// under a profile (seed). The payment worker and the reconciler run on short
/// timings here (orphans released after 5 s, retries after at most 2 s, a naive checkout's own
/// capture given 5 s, a dead instance's claims expiring after 10 s), so a drill's books settle
/// within seconds of its load. OrdersService's admission control is on, as in a deployment (the lab's default is off).
/// </summary>
public sealed class DrillTopologyFixture : IAsyncLifetime
{
    private AppHostRun? _run;

    public AppHostRun Run => _run ?? throw new InvalidOperationException("The topology has not started.");

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _run = await AppHostRun.StartAsync(ScratchDirectory.Create("drills"), ct, "Parameters:network-profile=datacenter",
            "ServiceSettings:orders:Payments:Reconciliation:Grace=00:00:05", "ServiceSettings:orders:Payments:Reconciliation:Interval=00:00:01",
            "ServiceSettings:orders:Payments:Worker:PollInterval=00:00:00.200", "ServiceSettings:orders:Payments:Worker:RetryDelay=00:00:00.250",
            "ServiceSettings:orders:Payments:Worker:MaxRetryDelay=00:00:02", "ServiceSettings:orders:Payments:Worker:InlineCaptureGrace=00:00:05",
            "ServiceSettings:orders:Payments:Worker:ClaimDuration=00:00:10", LabAdmission.EnabledSetting);
        await _run.WaitUntilUpAsync(TimeSpan.FromMinutes(3), ct);
    }

    /// <summary>Where the drills find this run's servers, as the AppHost gives them to the loadlab resource.</summary>
    public async Task<DrillConnections> ConnectionsAsync(CancellationToken ct)
    {
        var adminKey = await Run.App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ParameterResource>().Single(p => p.Name == PaymentsAdminKey.ParameterName).GetValueAsync(ct);
        return new DrillConnections(
            Run.App.GetEndpoint("orders", "http").ToString(),
            (await Run.ConnectionStringAsync("ordersdb", ct))!,
            Run.App.GetEndpoint("payments", "grpc").ToString(),
            adminKey!,
            (await Run.ConnectionStringAsync("cache", ct))!);
    }

    public async ValueTask DisposeAsync()
    {
        if (_run is not null)
        {
            await _run.DisposeAsync();
            Directory.Delete(_run.StateDirectory, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DrillCollection : ICollectionFixture<DrillTopologyFixture>
{
    public const string Name = "Drills";
}
