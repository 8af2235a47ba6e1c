using Aspire.Hosting.ApplicationModel;
using PerfReference.Topology;
using static PerfReference.ModelTests.ModelEvaluation;

namespace PerfReference.ModelTests.AppHost;

/// <summary>
/// The AppHost's parameters: <c>network-profile</c> (a latency proxy on every link, and the services told to use them),
/// <c>client-network-profile</c> (the client's link alone), <c>database-pooler</c>, <c>redis-persistence</c> and <c>telemetry</c>.
/// </summary>
public sealed class ParameterModelTests
{
    [Fact]
    public async Task UnderAProfileEveryLinkGoesThroughALatencyProxyAndAllStandaloneLinksShareOneProcess()
    {
        await using var model = await AppModel.BuildAsync("Parameters:network-profile=seed");

        // One resource, the built proxy run by the dotnet host (no `dotnet run` host beside it), with an endpoint per link.
        var links = model.Single<ExecutableResource>("network-links");
        Assert.DoesNotContain(model.Resources, r => r.Name.EndsWith("-link", StringComparison.Ordinal));
        Assert.Equal(["cache-link", "control", "orders-link", "payments-link", "postgres-link"], links.Annotations.OfType<EndpointAnnotation>().Select(e => e.Name).Order());
        Assert.All(links.Annotations.OfType<EndpointAnnotation>(), endpoint => Assert.False(endpoint.IsProxied));
        Assert.Equal(OrdersApiAddress.ClientLinkPort, links.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "orders-link").Port);
        var arguments = await ArgumentsAsync(links);
        Assert.EndsWith("/src/LatencyProxy/bin/Debug/net10.0/PerfReference.LatencyProxy.dll", arguments[0]);
        Assert.Equal(
            ["--link", "orders-link", "--listen", "{network-links.bindings.orders-link.targetPort}", "--upstream", "127.0.0.1:{orders.bindings.http.port}", "--profile", "seed",
             "--link", "postgres-link", "--listen", "{network-links.bindings.postgres-link.targetPort}", "--upstream", "127.0.0.1:{postgres.bindings.tcp.port}", "--profile", "seed",
             "--link", "cache-link", "--listen", "{network-links.bindings.cache-link.targetPort}", "--upstream", "127.0.0.1:{cache.bindings.tcp.port}", "--profile", "seed",
             "--link", "payments-link", "--listen", "{network-links.bindings.payments-link.targetPort}", "--upstream", "127.0.0.1:{payments.bindings.grpc.port}", "--profile", "seed"],
            arguments.Skip(1));

        foreach (var service in new[] { "orders", "silo" })
        {
            var environment = await EnvironmentAsync(model.Single<ProjectResource>(service));
            Assert.Contains("Port={network-links.bindings.postgres-link.port}", environment["ConnectionStrings__ordersdb"]);
            Assert.Equal("127.0.0.1:{network-links.bindings.cache-link.port}", environment["ConnectionStrings__cache"]);
            Assert.Contains(model.Single<ProjectResource>(service).Annotations.OfType<WaitAnnotation>(), wait => wait.Resource == links);
        }

        // The links wait for nothing (orders waits for them, and orders-link relays to orders): each connects upstream per connection.
        Assert.Empty(links.Annotations.OfType<WaitAnnotation>());

        // The silos' own links (silo to silo, a client to a gateway) run in the same process: each replica asks for its own
        // on the control endpoint, whose port the process learns from its environment (its command line lists the standalone links).
        var silo = await EnvironmentAsync(model.Single<ProjectResource>("silo"));
        Assert.Equal("seed", silo["PerfReference__NetworkProfile"]);
        Assert.Equal("127.0.0.1:{network-links.bindings.control.port}", silo["PerfReference__NetworkLinks__Control"]);
        Assert.Equal("{network-links.bindings.control.targetPort}", (await EnvironmentAsync(links))["LatencyProxy__ControlPort"]);

        var orders = await EnvironmentAsync(model.Single<ProjectResource>("orders"));
        Assert.Equal("http://127.0.0.1:{network-links.bindings.payments-link.port}", orders["services__payments__grpc__0"]);
        var lab = await EnvironmentAsync(model.Single<ProjectResource>("loadlab"));
        Assert.Equal("http://127.0.0.1:{network-links.bindings.orders-link.port}", lab["LoadLab__BaseUrl"]);
        Assert.Equal("seed", lab["LoadLab__NetworkProfile"]);
    }

    [Fact]
    public async Task AMobileClientOfASeedDatacenterHasTheMobileProfileOnItsOwnLinkOnly()
    {
        await using var model = await AppModel.BuildAsync("Parameters:network-profile=seed", "Parameters:client-network-profile=mobile");

        var links = await LinkProfilesAsync(model);
        Assert.Equal(("mobile", "seed", "seed", "seed"), (links["orders-link"], links["postgres-link"], links["cache-link"], links["payments-link"]));

        Assert.Equal("seed", (await EnvironmentAsync(model.Single<ProjectResource>("silo")))["PerfReference__NetworkProfile"]);
        var lab = await EnvironmentAsync(model.Single<ProjectResource>("loadlab"));
        Assert.Equal("http://127.0.0.1:{network-links.bindings.orders-link.port}", lab["LoadLab__BaseUrl"]);
        Assert.Equal("seed", lab["LoadLab__NetworkProfile"]);
        Assert.Equal("mobile", lab["LoadLab__ClientNetworkProfile"]);
        // The dashboard's Parameters tab shows both, as chosen.
        Assert.Equal("mobile", await ParameterValueAsync(model, "client-network-profile"));
        Assert.Equal("seed", await ParameterValueAsync(model, "network-profile"));
    }

    [Fact]
    public async Task AClientProfileAloneGivesTheClientItsLinkAndLeavesTheSystemOnLoopback()
    {
        await using var model = await AppModel.BuildAsync("Parameters:client-network-profile=mobile");

        Assert.Equal(["orders-link"], (await LinkProfilesAsync(model)).Keys);
        Assert.Equal("mobile", (await LinkProfilesAsync(model))["orders-link"]);
        Assert.Equal("http://127.0.0.1:{network-links.bindings.orders-link.port}", (await EnvironmentAsync(model.Single<ProjectResource>("loadlab")))["LoadLab__BaseUrl"]);
        Assert.DoesNotContain("link", (await EnvironmentAsync(model.Single<ProjectResource>("orders")))["ConnectionStrings__ordersdb"]);
    }

    [Fact]
    public async Task WithoutAClientProfileTheClientsLinkHasTheSystemsAndWithoutEitherThereIsNoLink()
    {
        await using (var model = await AppModel.BuildAsync("Parameters:network-profile=wan"))
        {
            Assert.Equal("wan", (await LinkProfilesAsync(model))["orders-link"]);
            Assert.Equal("wan", (await EnvironmentAsync(model.Single<ProjectResource>("loadlab")))["LoadLab__ClientNetworkProfile"]);
            Assert.Equal("wan", await ParameterValueAsync(model, "client-network-profile"));
        }

        await using (var model = await AppModel.BuildAsync())
        {
            Assert.DoesNotContain(model.Resources, r => r.Name == "network-links");
            Assert.Equal("loopback", await ParameterValueAsync(model, "client-network-profile"));
        }
    }

    [Fact]
    public async Task AClientProfileThatDoesNotExistStopsTheAppHostSayingWhichDo()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AppModel.BuildAsync("Parameters:network-profile=seed", "Parameters:client-network-profile=3g"));

        var message = error.InnerException?.Message ?? error.Message;
        Assert.Contains("client-network-profile parameter is '3g'", message);
        Assert.All(NetworkProfile.All, profile => Assert.Contains(profile.Name, message));
    }

    [Fact]
    public async Task WithPgBouncerTheServicesQueryThroughItAndTheMigrationsGoStraightToTheServer()
    {
        await using var model = await AppModel.BuildAsync("Parameters:database-pooler=pgbouncer");

        var pooler = model.Single<PerfReference.Hosting.PgBouncer.PgBouncerResource>("pgbouncer");
        Assert.Equal("pgbouncer", await ParameterValueAsync(model, "database-pooler"));
        Assert.EndsWith("pgbouncer.ini", (await ArgumentsAsync(pooler))[^1]);
        Assert.Contains(pooler.Annotations.OfType<WaitAnnotation>(), wait => wait.Resource.Name == "ordersdb");
        foreach (var service in new[] { "orders", "silo" })
        {
            var environment = await EnvironmentAsync(model.Single<ProjectResource>(service));
            Assert.Contains("Port={pgbouncer.bindings.tcp.port}", environment["ConnectionStrings__ordersdb"]);
            Assert.Contains(model.Single<ProjectResource>(service).Annotations.OfType<WaitAnnotation>(), wait => wait.Resource == pooler);
        }

        Assert.DoesNotContain("pgbouncer", (await EnvironmentAsync(model.Single<ProjectResource>("migrations")))["ConnectionStrings__ordersdb"]);
    }

    [Fact]
    public async Task WithoutAPoolerThereIsNoPgBouncerAndAnUnknownOneStopsTheAppHost()
    {
        await using (var model = await AppModel.BuildAsync())
        {
            Assert.Empty(model.Resources.OfType<PerfReference.Hosting.PgBouncer.PgBouncerResource>());
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => AppModel.BuildAsync("Parameters:database-pooler=odyssey"));
        Assert.Contains("use none or pgbouncer", error.InnerException?.Message ?? error.Message);
    }

    [Theory]
    [InlineData("aof-always", "always")]
    [InlineData("none", null)]
    public async Task TheRedisPersistenceParameterChoosesHowRedisKeepsItsData(string choice, string? appendfsync)
    {
        await using var model = await AppModel.BuildAsync($"Parameters:redis-persistence={choice}");

        var args = await ArgumentsAsync(model.Single<PerfReference.Hosting.Redis.RedisServerResource>("cache"));
        Assert.Equal(appendfsync is null ? ["--appendonly", "no"] : ["--appendonly", "yes", "--appendfsync", appendfsync], args.SkipWhile(a => a != "--appendonly"));
        Assert.Equal(choice, await ParameterValueAsync(model, "redis-persistence")); // the dashboard shows what was chosen
    }

    [Fact]
    public async Task ARedisPersistenceThatDoesNotExistStopsTheAppHost()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AppModel.BuildAsync("Parameters:redis-persistence=sometimes"));

        Assert.Contains("aof-everysec", error.InnerException?.Message ?? error.Message);
    }

    /// <summary>What the dashboard's Parameters tab shows for a parameter.</summary>
    private static async Task<string?> ParameterValueAsync(AppModel model, string name) =>
        await model.Single<ParameterResource>(name).GetValueAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task WithTelemetryOffEveryProjectRunsTheOpenTelemetrySdkAsANoOp()
    {
        await using var model = await AppModel.BuildAsync("Parameters:telemetry=off", "Parameters:network-profile=seed");

        var projects = model.Resources.OfType<ProjectResource>().ToArray();
        Assert.Superset(new HashSet<string> { "orders", "silo", "payments", "migrations", "loadlab" }, projects.Select(p => p.Name).ToHashSet());
        foreach (var project in projects)
        {
            Assert.Equal("true", (await EnvironmentAsync(project)).GetValueOrDefault("OTEL_SDK_DISABLED"));
        }
    }

    [Fact]
    public async Task WithTelemetrySampledEveryProjectKeepsOneTraceInTenFollowingItsParent()
    {
        await using var model = await AppModel.BuildAsync("Parameters:telemetry=sampled");

        var projects = model.Resources.OfType<ProjectResource>().ToArray();
        Assert.Superset(new HashSet<string> { "orders", "silo", "payments" }, projects.Select(p => p.Name).ToHashSet());
        foreach (var project in projects)
        {
            var environment = await EnvironmentAsync(project);
            Assert.Equal("parentbased_traceidratio", environment.GetValueOrDefault("OTEL_TRACES_SAMPLER"));
            Assert.Equal("0.01", environment.GetValueOrDefault("OTEL_TRACES_SAMPLER_ARG"));
            Assert.DoesNotContain("OTEL_SDK_DISABLED", environment.Keys);
        }
    }

    [Fact]
    public async Task TelemetryIsOnUnlessTurnedOffAndAnUnknownChoiceStopsTheAppHost()
    {
        await using (var model = await AppModel.BuildAsync())
        {
            Assert.Equal("on", await model.Single<ParameterResource>("telemetry").GetValueAsync(TestContext.Current.CancellationToken));
            foreach (var project in model.Resources.OfType<ProjectResource>())
            {
                var environment = await EnvironmentAsync(project);
                Assert.DoesNotContain("OTEL_SDK_DISABLED", environment.Keys);
                // Every trace that starts, each span following its parent: a background round started unsampled stays unsampled everywhere.
                Assert.Equal("parentbased_always_on", environment.GetValueOrDefault("OTEL_TRACES_SAMPLER"));
            }
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => AppModel.BuildAsync("Parameters:telemetry=sometimes"));
        Assert.Contains("The telemetry parameter is 'sometimes'; use on, sampled or off.", error.InnerException?.Message ?? error.Message);
    }

    [Fact]
    public async Task AProfileThatDoesNotExistStopsTheAppHostSayingWhichDo()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AppModel.BuildAsync("Parameters:network-profile=moon"));

        var message = error.InnerException?.Message ?? error.Message;
        Assert.Contains("'moon'", message);
        Assert.All(NetworkProfile.All, profile => Assert.Contains(profile.Name, message));
    }

    /// <summary>Each link of the network-links process and its profile, read from its command line as the lab reads it.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> LinkProfilesAsync(AppModel model)
    {
        var arguments = await ArgumentsAsync(model.Single<ExecutableResource>("network-links"));
        return Enumerable.Range(0, arguments.Count)
            .Where(i => arguments[i] == "--link")
            .ToDictionary(i => arguments[i + 1], i => arguments[i + 7]);
    }
}
