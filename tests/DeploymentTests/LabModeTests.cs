using PerfReference.DeploymentTests.Manifests;
using PerfReference.Topology;

namespace PerfReference.DeploymentTests;

/// <summary>
/// The lab (the variant switch, the naive default, the diagnostics endpoints) runs where it is meant to — a
/// development cluster, for the load lab's Job — and never in production; what operators reach is behind a key.
/// </summary>
public sealed class LabModeTests(RenderedManifests manifests)
{
    private const string Production = "production";

    /// <summary>The workloads that read the mode: the ones built with the variant switch.</summary>
    private static readonly string[] SwitchedServices = ["orders", "payments", "silo"];

    [Fact]
    public void NoWorkloadOfTheProductionOverlayRunsTheLab()
    {
        var rendered = manifests[Production];

        Assert.Empty(LabWorkloads(rendered));
        // Said explicitly to each service, not left to the default: a reader of the manifests sees the mode.
        Assert.All(SwitchedServices, name => Assert.Equal(ServiceMode.Production,
            rendered.EnvValue(Assert.Single(rendered.Single("Deployment", name).MainContainers), ServiceMode.EnvironmentVariable)));
    }

    [Fact]
    public async Task AProductionOverlayThatTurnsTheLabOnIsRefused()
    {
        var turnedOn = Path.Combine(Directory.CreateTempSubdirectory("perfref-k8s-lab-").FullName, "production.yaml");
        var yaml = await File.ReadAllTextAsync(manifests[Production].File, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(turnedOn, yaml.Replace($"{ServiceMode.EnvironmentVariable}: {ServiceMode.Production}",
            $"{ServiceMode.EnvironmentVariable}: {ServiceMode.Lab}", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        try
        {
            Assert.Equal(SwitchedServices, LabWorkloads(RenderedOverlay.Load(turnedOn)).Order());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(turnedOn)!, recursive: true);
        }
    }

    [Fact]
    public void TheDevelopmentClusterIsTheLabSoItsLoadLabJobCanCompareVariants()
    {
        var rendered = manifests["dev"];

        Assert.Equal(SwitchedServices, LabWorkloads(rendered).Order());
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void TheDashboardAsksForItsBrowserTokenAndTelemetryForAnApiKey(string overlay)
    {
        var rendered = manifests[overlay];
        var dashboard = Assert.Single(rendered.Single("Deployment", "aspire-dashboard").MainContainers);

        Assert.Equal("BrowserToken", rendered.EnvValue(dashboard, "Dashboard__Frontend__AuthMode"));
        Assert.Equal("ApiKey", rendered.EnvValue(dashboard, "Dashboard__Otlp__AuthMode"));
        Assert.Null(rendered.EnvValue(dashboard, "ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"));
        Assert.Equal("ClusterIP", rendered.Single("Service", "aspire-dashboard").Spec.Text("type") ?? "ClusterIP");
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void ThePaymentProvidersAdminServiceIsKeyedFromASecret(string overlay)
    {
        // Without Provider__AdminKey the admin service refuses every call; with it, every call must present the key.
        var payments = Assert.Single(manifests[overlay].Single("Deployment", "payments").MainContainers);
        var key = Assert.Single(payments.Env, e => e.Text("name") == "Provider__AdminKey");

        Assert.Equal("perfreference-keys", key.Path("valueFrom", "secretKeyRef").Text("name"));
    }

    /// <summary>The workloads whose services would run as the lab: told <see cref="ServiceMode.Lab"/>, however (a literal, a ConfigMap).</summary>
    private static IEnumerable<string> LabWorkloads(RenderedOverlay rendered) => rendered.Workloads
        .Where(w => w.MainContainers.Any(c => ServiceMode.IsLab(rendered.EnvValue(c, ServiceMode.EnvironmentVariable))))
        .Select(w => w.Name);
}
