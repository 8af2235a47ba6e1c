using PerfReference.DeploymentTests.Manifests;
using PerfReference.Topology;

namespace PerfReference.DeploymentTests;

/// <summary>What each overlay runs: enough silos, kept through disruptions; probed, sized and pinned containers; the orders API autoscaled.</summary>
public sealed class WorkloadTests(RenderedManifests manifests)
{
    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void TheSilosAreAClusterOfAtLeastThreeThatADisruptionTakesOneAtATime(string overlay)
    {
        var rendered = manifests[overlay];
        var silo = rendered.Single("Deployment", "silo");
        var replicas = int.Parse(silo.Spec.Text("replicas") ?? "1");

        Assert.True(replicas >= 3, $"{overlay}: {replicas} silos");
        var budget = Assert.Single(rendered.OfKind("PodDisruptionBudget"), pdb => Selects(pdb.Spec.Map("selector").Strings("matchLabels"), silo.PodLabels));
        Assert.Equal("1", budget.Spec.Text("maxUnavailable"));
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void EveryLongRunningContainerIsProbedOurServicesOnTheirHealthEndpoints(string overlay)
    {
        var containers = manifests[overlay].Workloads.Where(w => w.Kind is "Deployment" or "StatefulSet").SelectMany(w => w.MainContainers).ToArray();

        Assert.NotEmpty(containers);
        Assert.All(containers, container =>
        {
            var readiness = container.Node.Map("readinessProbe");
            var liveness = container.Node.Map("livenessProbe");
            Assert.True(readiness.Children.Count > 0 && liveness.Children.Count > 0, $"{container}: no readiness or liveness probe");
            if (container.IsOurs)
            {
                Assert.Equal(HealthEndpoints.Health, readiness.Map("httpGet").Text("path"));
                Assert.Equal(HealthEndpoints.Alive, liveness.Map("httpGet").Text("path"));
                Assert.Contains(container.Node.Maps("ports"), port => port.Text("name") == readiness.Map("httpGet").Text("port"));
            }
        });
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void EveryContainerRequestsAndIsLimitedInCpuAndMemory(string overlay) =>
        Assert.All(manifests[overlay].Containers, container =>
        {
            foreach (var bound in new[] { "requests", "limits" })
            {
                var resources = container.Node.Path("resources", bound);
                Assert.True(resources.Has("cpu") && resources.Has("memory"), $"{container}: no {bound} of cpu and memory");
            }
        });

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void TheOrdersApiIsScaledOnCpuByAHorizontalPodAutoscaler(string overlay)
    {
        var rendered = manifests[overlay];
        var autoscaler = Assert.Single(rendered.OfKind("HorizontalPodAutoscaler"));

        Assert.Equal("autoscaling/v2", autoscaler.Node.Text("apiVersion"));
        Assert.Equal(("Deployment", "orders"), (autoscaler.Spec.Map("scaleTargetRef").Text("kind"), autoscaler.Spec.Map("scaleTargetRef").Text("name")));
        Assert.Contains(autoscaler.Spec.Maps("metrics"), metric => metric.Map("resource").Text("name") == "cpu");
        Assert.True(int.Parse(autoscaler.Spec.Text("minReplicas")!) <= int.Parse(autoscaler.Spec.Text("maxReplicas")!));
        // The autoscaler owns the count; a replicas field would reset it on every apply.
        Assert.False(rendered.Single("Deployment", "orders").Spec.Has("replicas"));
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void SilosRunWithOrleansKubernetesHosting(string overlay)
    {
        var rendered = manifests[overlay];
        var silo = rendered.Single("Deployment", "silo");
        var container = Assert.Single(silo.MainContainers);

        // The pod's labels name the same Orleans cluster the orders service (an Orleans client) is configured for.
        Assert.Equal(rendered.Settings["Orleans__ServiceId"], silo.PodLabels["orleans/serviceId"]);
        Assert.Equal(rendered.Settings["Orleans__ClusterId"], silo.PodLabels["orleans/clusterId"]);
        var fieldPaths = container.Env.ToDictionary(e => e.Text("name")!, e => e.Path("valueFrom", "fieldRef").Text("fieldPath"));
        Assert.Equal("metadata.name", fieldPaths["POD_NAME"]);
        Assert.Equal("metadata.namespace", fieldPaths["POD_NAMESPACE"]);
        Assert.Equal("status.podIP", fieldPaths["POD_IP"]);
        Assert.Equal("metadata.labels['orleans/serviceId']", fieldPaths["ORLEANS_SERVICE_ID"]);
        Assert.Equal("metadata.labels['orleans/clusterId']", fieldPaths["ORLEANS_CLUSTER_ID"]);

        // Its service account may read, watch and label pods: what Orleans.Hosting.Kubernetes does with the API.
        var account = silo.PodSpec.Text("serviceAccountName");
        var binding = Assert.Single(rendered.OfKind("RoleBinding"), b => b.Node.Maps("subjects").Any(s => s.Text("kind") == "ServiceAccount" && s.Text("name") == account));
        var role = rendered.Single("Role", binding.Node.Map("roleRef").Text("name")!);
        var pods = Assert.Single(role.Node.Maps("rules"), rule => rule.Texts("resources").Contains("pods"));
        Assert.Equal(["get", "list", "patch", "watch"], pods.Texts("verbs").Order());
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void EveryImageHasAPinnedTag(string overlay) =>
        Assert.All(manifests[overlay].Containers, container =>
        {
            var tag = container.Image.Contains(':', StringComparison.Ordinal) ? container.Image[(container.Image.LastIndexOf(':') + 1)..] : "";
            Assert.True(tag.Length > 0 && tag != "latest" && !tag.Contains('/', StringComparison.Ordinal), $"{container}: image {container.Image} has no pinned tag");
        });

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void DataServersInTheClusterKeepTheirDataOnVolumesAndRedisAnAppendOnlyFile(string overlay)
    {
        var servers = manifests[overlay].OfKind("StatefulSet").ToArray();

        Assert.All(servers, server =>
        {
            var claims = server.Spec.Maps("volumeClaimTemplates").Select(c => c.Map("metadata").Text("name")).ToArray();
            Assert.Contains(Assert.Single(server.MainContainers).Node.Maps("volumeMounts"), mount => claims.Contains(mount.Text("name")));
        });
        if (servers.SingleOrDefault(s => s.Name == "cache") is { } cache)
        {
            var args = string.Join(" ", Assert.Single(cache.MainContainers).Args);
            Assert.Contains("--appendonly yes --appendfsync everysec", args);
        }
    }

    private static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
