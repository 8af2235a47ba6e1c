using Aspire.Hosting.ApplicationModel;
using PerfReference.DeploymentTests.Manifests;

namespace PerfReference.DeploymentTests;

/// <summary>
/// The manifests follow the AppHost's publish-mode manifest: a workload per project resource, told the environment
/// names the AppHost tells that project, and the data servers it publishes as containers.
/// </summary>
public sealed class AppHostParityTests(RenderedManifests manifests) : IAsyncLifetime
{
    /// <summary>
    /// What a pod is told that the AppHost has no counterpart for: its own identity from the downward API, which
    /// Orleans' Kubernetes hosting reads (with the cluster's ids from the pod's labels) and telemetry names instances by.
    /// </summary>
    private static readonly string[] KubernetesOnly = ["POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID"];

    /// <summary>
    /// Telemetry export (<c>OTEL_*</c>) is the platform's, not the application's wiring: the AppHost points it at its
    /// own dashboard when it starts a process, a pod at the cluster's dashboard with the pod's name.
    /// </summary>
    private const string TelemetryPrefix = "OTEL_";

    /// <summary>
    /// The load lab runs its "serve" mode under the AppHost (a web app with a dashboard command per scenario) and its
    /// command line in a cluster (a Job that runs one scenario): its environment is not the serve mode's.
    /// </summary>
    private const string LoadLab = "loadlab";

    /// <summary>A workload of the cluster's own with no project behind it: the OTLP sink the AppHost's dashboard is locally.</summary>
    private const string Dashboard = "aspire-dashboard";

    private PublishedAppModel _published = null!;

    public async ValueTask InitializeAsync() => _published = await PublishedAppModel.BuildAsync(TestContext.Current.CancellationToken);

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void EveryProjectOfTheAppHostRunsAsAWorkloadAndNothingElseDoes(string overlay)
    {
        var projects = _published.Resources.OfType<ProjectResource>().Select(p => p.Name).Order();
        var workloads = manifests[overlay].OfKind("Deployment").Concat(manifests[overlay].OfKind("Job")).Select(w => w.Name).Where(n => n != Dashboard).Order();

        Assert.Equal(projects, workloads);
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public async Task EachWorkloadIsToldTheEnvironmentNamesTheAppHostTellsItsProject(string overlay)
    {
        foreach (var workload in manifests[overlay].Workloads.Where(w => w.Name is not (LoadLab or Dashboard) && w.Kind != "StatefulSet"))
        {
            var expected = Compared((await _published.EnvironmentAsync(workload.Name)).Keys);
            var container = Assert.Single(workload.MainContainers);

            AssertSameNames(expected, container);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public async Task EveryMigrateInitContainerIsToldWhatTheMigrationsAre(string overlay)
    {
        var migrations = Compared((await _published.EnvironmentAsync("migrations")).Keys);
        var initContainers = manifests[overlay].Containers.Where(c => c.IsInit).ToArray();

        Assert.Equal(["orders", "silo"], initContainers.Select(c => c.Workload.Name).Order());
        Assert.All(initContainers, container =>
        {
            Assert.Equal(["migrate"], container.Args);
            AssertSameNames(migrations, container);
        });
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void TheLoadLabJobRunsAScenarioAgainstTheOrdersService(string overlay)
    {
        var args = Assert.Single(manifests[overlay].Single("Job", LoadLab).MainContainers).Args;
        var orders = manifests[overlay].Single("Service", "orders");

        Assert.Equal("run", args[0]);
        Assert.Equal($"http://{orders.Name}", args[args.ToList().IndexOf("--base-url") + 1]);
        Assert.Equal("80", Assert.Single(orders.Spec.Maps("ports")).Text("port"));
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void TheDataServersInTheClusterAreTheContainersTheAppHostPublishes(string overlay)
    {
        var containers = _published.Resources.OfType<ContainerResource>().Select(c => c.Name).ToArray();

        Assert.Subset(containers.ToHashSet(), manifests[overlay].OfKind("StatefulSet").Select(s => s.Name).ToHashSet());
        Assert.Equal(["cache", "postgres"], containers.Order());
    }

    private static SortedSet<string> Compared(IEnumerable<string> names) =>
        new(names.Where(name => !name.StartsWith(TelemetryPrefix, StringComparison.Ordinal) && !KubernetesOnly.Contains(name)), StringComparer.Ordinal);

    private static void AssertSameNames(SortedSet<string> expected, Container container)
    {
        var actual = Compared(container.EnvNames);
        Assert.True(expected.SetEquals(actual),
            $"{container}: the AppHost gives [{string.Join(", ", expected)}], the manifest [{string.Join(", ", actual)}]");
    }

    public async ValueTask DisposeAsync() => await _published.DisposeAsync();
}
