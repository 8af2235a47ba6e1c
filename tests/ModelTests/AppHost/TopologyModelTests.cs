using Aspire.Hosting.ApplicationModel;
using PerfReference.Hosting.Postgres;
using PerfReference.Hosting.Redis;
using PerfReference.Topology;
using static PerfReference.ModelTests.ModelEvaluation;

namespace PerfReference.ModelTests.AppHost;

/// <summary>The AppHost's wiring on loopback (the default profile): what runs, what waits for what, what each project is told.</summary>
public sealed class TopologyModelTests : IAsyncLifetime
{
    private AppModel _model = null!;

    public async ValueTask InitializeAsync() => _model = await AppModel.BuildAsync();

    [Fact]
    public void EveryResourceOfTheTopologyIsThereAndNoNetworkLinkOnLoopback()
    {
        Assert.Equal(
            ["cache", "loadlab", "migrations", "orders", "ordersdb", "payments", "postgres", "seed", "silo"],
            _model.Resources.Where(r => r is PostgresServerResource or PostgresDatabaseResource or RedisServerResource or ProjectResource)
                .Where(r => !r.Name.EndsWith("-rebuilder", StringComparison.Ordinal))
                .Select(r => r.Name).Order());
        Assert.Equal(2, _model.Single<ProjectResource>("silo").Annotations.OfType<ReplicaAnnotation>().Single().Replicas);
        Assert.Contains(_model.Single<ProjectResource>("seed").Annotations, a => a is ExplicitStartupAnnotation);
    }

    [Fact]
    public void TheOrdersApiListensOnItsFixedPortAndIsReachableFromOutside()
    {
        var http = Assert.Single(_model.Single<ProjectResource>("orders").Annotations.OfType<EndpointAnnotation>(), e => e.Name == "http");

        Assert.Equal(OrdersApiAddress.Port, http.Port);
        Assert.True(http.IsExternal);
    }

    [Theory]
    [InlineData("orders", new[] { "migrations:WaitForCompletion", "payments:WaitUntilHealthy", "silo:WaitUntilHealthy" })]
    [InlineData("silo", new[] { "cache:WaitUntilHealthy", "migrations:WaitForCompletion" })]
    [InlineData("payments", new[] { "cache:WaitUntilHealthy" })]
    [InlineData("migrations", new[] { "ordersdb:WaitUntilHealthy", "postgres:WaitUntilHealthy" })]
    [InlineData("loadlab", new[] { "orders:WaitUntilHealthy" })]
    public void EachProjectStartsAfterWhatItNeeds(string project, string[] waits) =>
        Assert.Equal(waits, _model.Single<ProjectResource>(project).Annotations.OfType<WaitAnnotation>()
            .Select(w => $"{w.Resource.Name}:{w.WaitType}").Order());

    [Theory]
    [InlineData("orders")]
    [InlineData("silo")]
    [InlineData("payments")]
    [InlineData("loadlab")]
    public void EveryServiceIsHealthCheckedOnItsHealthEndpoint(string project) =>
        Assert.Contains(_model.Single<ProjectResource>(project).Annotations.OfType<HealthCheckAnnotation>(),
            check => check.Key.Contains($"_{HealthEndpoints.Health}_200_", StringComparison.Ordinal));

    [Fact]
    public async Task SilosClusterAndKeepGrainStateInRedisThroughTheOrleansRedisProviders()
    {
        var silo = await EnvironmentAsync(_model.Single<ProjectResource>("silo"));

        Assert.Equal("Redis", silo["Orleans__Clustering__ProviderType"]);
        Assert.Equal("cache", silo["Orleans__Clustering__ServiceKey"]);
        Assert.Equal("Redis", silo["Orleans__GrainStorage__Default__ProviderType"]);
        Assert.Equal("cache", silo["Orleans__GrainStorage__Default__ServiceKey"]);
        Assert.Equal("{cache.connectionString}", silo["ConnectionStrings__cache"]);
        Assert.Equal("{ordersdb.connectionString}", silo["ConnectionStrings__ordersdb"]);
    }

    [Fact]
    public async Task OrdersIsAnOrleansClientOfTheSameClusterAndWarmsUpBeforeItIsReady()
    {
        var orders = await EnvironmentAsync(_model.Single<ProjectResource>("orders"));
        var silo = await EnvironmentAsync(_model.Single<ProjectResource>("silo"));

        Assert.Equal(silo["Orleans__ClusterId"], orders["Orleans__ClusterId"]);
        Assert.Equal(silo["Orleans__ServiceId"], orders["Orleans__ServiceId"]);
        Assert.Equal("Redis", orders["Orleans__Clustering__ProviderType"]);
        Assert.False(orders.ContainsKey("Orleans__GrainStorage__Default__ProviderType")); // a client keeps no grain state
        Assert.Equal("{payments.bindings.grpc.url}", orders["services__payments__grpc__0"]);
        Assert.Equal("true", orders["PerfReference__CacheWarming__WarmUpOnStart"]);
    }

    [Fact]
    public async Task EachStartIsANewOrleansClusterOfTheSameService()
    {
        await using var nextStart = await AppModel.BuildAsync();
        var silo = await EnvironmentAsync(_model.Single<ProjectResource>("silo"));
        var orders = await EnvironmentAsync(_model.Single<ProjectResource>("orders"));
        var nextSilo = await EnvironmentAsync(nextStart.Single<ProjectResource>("silo"));

        // A membership table of its own each start (the previous run's silos are not probed); grain state keyed alike.
        Assert.NotEqual(silo["Orleans__ClusterId"], nextSilo["Orleans__ClusterId"]);
        Assert.Equal(silo["Orleans__ServiceId"], nextSilo["Orleans__ServiceId"]);
        Assert.Equal(silo["Orleans__ClusterId"], orders["Orleans__ClusterId"]);
        Assert.StartsWith("run-", silo["Orleans__ClusterId"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, ServiceMode.Lab)] // the AppHost's own run is the lab
    [InlineData("production", ServiceMode.Production)]
    public async Task TheServicesWithTheVariantSwitchAreToldTheChosenMode(string? chosen, string told)
    {
        await using var model = chosen is null ? null : await AppModel.BuildAsync($"Parameters:service-mode={chosen}");
        foreach (var service in new[] { "orders", "payments", "silo" })
        {
            var environment = await EnvironmentAsync((model ?? _model).Single<ProjectResource>(service));
            Assert.Equal(told, environment[ServiceMode.EnvironmentVariable]);
        }
    }

    [Fact]
    public async Task AModeThatIsNeitherStopsTheAppHostBeforeAnythingStarts()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AppModel.BuildAsync("Parameters:service-mode=staging"));

        Assert.Contains("service-mode parameter is 'staging'", error.ToString());
    }

    [Fact]
    public async Task ThePaymentProvidersAdminKeyIsAGeneratedSecretParameter()
    {
        var key = _model.Single<ParameterResource>("payments-admin-key");
        var payments = await EnvironmentAsync(_model.Single<ProjectResource>("payments"));

        Assert.True(key.Secret);
        Assert.Equal("{payments-admin-key.value}", payments["Provider__AdminKey"]);
    }

    [Fact]
    public async Task RedisKeepsWhatItHoldsThroughARestartByDefault() =>
        Assert.Equal(["--appendonly", "yes", "--appendfsync", "everysec"], (await ArgumentsAsync(_model.Single<RedisServerResource>("cache"))).TakeLast(4));

    [Fact]
    public void NoProjectIsGivenATlsCertificateSoTheDashboardHasNoneToWarnAbout() =>
        Assert.All(_model.Resources.OfType<ProjectResource>(), project =>
            Assert.Equal(false, project.Annotations.OfType<HttpsCertificateAnnotation>().LastOrDefault()?.UseDeveloperCertificate));

    [Fact]
    public void WhatRunsLongIsStartedAgainWhenItDiesAndWhatRunsOnceIsNot()
    {
        var supervised = _model.Resources.Where(r => r.Annotations.OfType<PerfReference.AppHost.Supervision.RestartOnExitAnnotation>().Any()).Select(r => r.Name).Order();

        Assert.Equal(["cache", "loadlab", "orders", "payments", "postgres", "silo"], supervised);
    }

    [Fact]
    public async Task TheLabHasADrillCommandPerDrillAndReachesWhatTheDrillsCheck()
    {
        var lab = _model.Single<ProjectResource>("loadlab");
        var environment = await EnvironmentAsync(lab);

        Assert.Equal(LabDrills.All.Select(d => $"drill-{d.Id}").Order(),
            lab.Annotations.OfType<ResourceCommandAnnotation>().Select(c => c.Name).Where(n => n.StartsWith("drill-", StringComparison.Ordinal)).Order());
        Assert.Equal("{ordersdb.connectionString}", environment["ConnectionStrings__ordersdb"]);
        Assert.Equal("{cache.connectionString}", environment["ConnectionStrings__cache"]);
        Assert.Equal("{payments.bindings.grpc.url}", environment["services__payments__grpc__0"]);
        Assert.Equal("{payments-admin-key.value}", environment["LoadLab__PaymentsAdminKey"]);
    }

    [Fact]
    public async Task TheLabServesTheRecordFromTheRepositorysLogAndResults()
    {
        var environment = await EnvironmentAsync(_model.Single<ProjectResource>("loadlab"));

        Assert.True(File.Exists(Path.Combine(environment["LoadLab__Docs"], "optimizations.md")), environment["LoadLab__Docs"]);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(environment["LoadLab__Docs"])!, "results"), environment["LoadLab__Results"]);
    }

    [Fact]
    public void TheLabHasADashboardCommandPerScenarioAndPerJourney()
    {
        var expected = LabScenarios.All.SelectMany(s => s.HasJourney ? [$"run-{s.Id}", $"run-{s.Id}-journey"] : new[] { $"run-{s.Id}" });

        Assert.Equal(expected.Order(), _model.Single<ProjectResource>("loadlab").Annotations.OfType<ResourceCommandAnnotation>()
            .Select(c => c.Name).Where(n => n.StartsWith("run-", StringComparison.Ordinal)).Order());
    }

    public async ValueTask DisposeAsync() => await _model.DisposeAsync();
}
