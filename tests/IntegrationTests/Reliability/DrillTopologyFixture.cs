using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using PerfReference.LoadLab.Drills;

namespace PerfReference.IntegrationTests.Reliability;

/// <summary>
/// A topology of the drills' own: they kill its processes and break its connections, which the
/// shared topology's other tests must not see. The reconciler releases orphaned authorisations
/// after 5 s here, so a drill's books settle within the test.
/// </summary>
public sealed class DrillTopologyFixture : IAsyncLifetime
{
    private AppHostRun? _run;

    public AppHostRun Run => _run ?? throw new InvalidOperationException("The topology has not started.");

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _run = await AppHostRun.StartAsync(TestStateDirectory.Create("drills"), ct,
            "ServiceSettings:orders:Payments:Reconciliation:Grace=00:00:05", "ServiceSettings:orders:Payments:Reconciliation:Interval=00:00:01");
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
