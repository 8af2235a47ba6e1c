using Aspire.Hosting.ApplicationModel;
using static PerfReference.ModelTests.ModelEvaluation;

namespace PerfReference.ModelTests.AppHost;

/// <summary>
/// The AppHost in publish mode (<c>--publisher manifest</c>): what a cluster runs. PostgreSQL and Redis are Aspire's
/// own container resources instead of this machine's binaries, under the same names, and every project is told
/// what it is told in run mode.
/// </summary>
public sealed class PublishModelTests : IAsyncLifetime
{
    private PublishedAppModel _published = null!;

    public async ValueTask InitializeAsync() => _published = await PublishedAppModel.BuildAsync(TestContext.Current.CancellationToken);

    [Fact]
    public void PostgresAndRedisArePublishedAsAspiresOwnContainersUnderTheSameNames()
    {
        Assert.True(_published.IsPublishMode);
        var postgres = _published.Single<Aspire.Hosting.ApplicationModel.PostgresServerResource>("postgres");
        var ordersDb = _published.Single<Aspire.Hosting.ApplicationModel.PostgresDatabaseResource>("ordersdb");
        var cache = _published.Single<RedisResource>("cache");

        Assert.Same(postgres, ordersDb.Parent);
        Assert.All(new ContainerResource[] { postgres, cache }, store =>
            Assert.Contains(store.Annotations, a => a is ContainerMountAnnotation { Type: ContainerMountType.Volume }));
        Assert.Empty(_published.Resources.OfType<ExecutableResource>()); // nothing from this machine's binaries
    }

    [Fact]
    public async Task EveryProjectIsWiredWithTheSameEnvironmentNamesAsInRunMode()
    {
        await using var run = await AppModel.BuildAsync();
        var projects = run.Resources.OfType<ProjectResource>().Select(p => p.Name).Order().ToArray();

        Assert.Equal(projects, _published.Resources.OfType<ProjectResource>().Select(p => p.Name).Order());
        foreach (var project in projects)
        {
            var inRunMode = PublishedAppModel.Wiring((await EnvironmentAsync(run.Single<ProjectResource>(project))).Keys);
            var published = PublishedAppModel.Wiring((await _published.EnvironmentAsync(project)).Keys);
            Assert.True(inRunMode.SetEquals(published), $"{project}: run mode [{string.Join(", ", inRunMode)}], published [{string.Join(", ", published)}]");
        }
    }

    [Fact]
    public async Task SilosClusterAndKeepGrainStateInRedisAsInRunMode()
    {
        var silo = await _published.EnvironmentAsync("silo");
        var orders = await _published.EnvironmentAsync("orders");

        Assert.Equal("Redis", silo["Orleans__Clustering__ProviderType"]);
        Assert.Equal("cache", silo["Orleans__Clustering__ServiceKey"]);
        Assert.Equal("Redis", silo["Orleans__GrainStorage__Default__ProviderType"]);
        Assert.Equal("{cache.connectionString}", silo["ConnectionStrings__cache"]);
        Assert.Equal("{ordersdb.connectionString}", orders["ConnectionStrings__ordersdb"]);
        Assert.Equal(silo["Orleans__ClusterId"], orders["Orleans__ClusterId"]);
    }

    [Fact]
    public async Task APublishedServiceRunsInProductionMode()
    {
        foreach (var service in new[] { "orders", "payments", "silo" })
        {
            Assert.Equal(PerfReference.Topology.ServiceMode.Production, (await _published.EnvironmentAsync(service))[PerfReference.Topology.ServiceMode.EnvironmentVariable]);
        }
    }

    [Fact]
    public async Task RedisKeepsAnAppendOnlyFileInItsContainer()
    {
        var args = await _published.ArgumentsAsync("cache");

        Assert.Contains(args, arg => arg.StartsWith("redis-server ", StringComparison.Ordinal) && arg.EndsWith(" --appendonly yes --appendfsync everysec", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoLatencyProxyIsPublishedEvenUnderANetworkProfile()
    {
        await using var published = await PublishedAppModel.BuildAsync(TestContext.Current.CancellationToken, "Parameters:network-profile=seed");

        Assert.DoesNotContain(published.Resources, r => r.Name == "network-links" || r.Name.EndsWith("-link", StringComparison.Ordinal));
        Assert.Equal("{cache.connectionString}", (await published.EnvironmentAsync("orders"))["ConnectionStrings__cache"]);
    }

    public async ValueTask DisposeAsync() => await _published.DisposeAsync();
}
