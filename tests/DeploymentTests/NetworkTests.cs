using PerfReference.DeploymentTests.Manifests;
using YamlDotNet.RepresentationModel;

namespace PerfReference.DeploymentTests;

/// <summary>Only the orders API is reachable from outside the cluster; inside it, nothing talks unless a policy allows it.</summary>
public sealed class NetworkTests(RenderedManifests manifests)
{
    private static readonly Dictionary<string, string> OrdersPods = new() { ["app.kubernetes.io/name"] = "orders" };

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void OnlyTheOrdersServiceIsExposedOutsideTheCluster(string overlay)
    {
        var rendered = manifests[overlay];
        var exposed = rendered.OfKind("Service")
            .Where(s => s.Spec.Text("type") is "LoadBalancer" or "NodePort" || s.Spec.Has("externalIPs"))
            .Select(s => s.Name);

        Assert.Equal(["orders"], exposed);
        Assert.Empty(rendered.OfKind("Ingress"));
        var orders = rendered.Single("Service", "orders");
        Assert.Equal(OrdersPods, orders.Spec.Strings("selector"));
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void EveryPodIsDeniedEverythingThatNoPolicyAllows(string overlay) =>
        Assert.Contains(manifests[overlay].OfKind("NetworkPolicy"), policy =>
            policy.Spec.Map("podSelector").Children.Count == 0
            && policy.Spec.Texts("policyTypes").Order().SequenceEqual(["Egress", "Ingress"])
            && policy.Spec.Maps("ingress").Count == 0 && policy.Spec.Maps("egress").Count == 0);

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void TheOnlyWayInFromOutsideIsTheOrdersApisPort(string overlay)
    {
        var rendered = manifests[overlay];
        var fromOutside = rendered.OfKind("NetworkPolicy")
            .SelectMany(policy => policy.Spec.Maps("ingress").Where(AdmitsOutsiders).Select(rule => (Policy: policy, Rule: rule)))
            .ToArray();

        var (policy, rule) = Assert.Single(fromOutside);
        Assert.Equal(OrdersPods, policy.Spec.Map("podSelector").Strings("matchLabels"));
        // The port the policy opens is the one the Service sends to.
        var http = Assert.Single(Assert.Single(rendered.Single("Deployment", "orders").MainContainers).Node.Maps("ports"), p => p.Text("name") == "http");
        Assert.Equal([http.Text("containerPort")], rule.Maps("ports").Select(p => p.Text("port")));
        Assert.Equal("http", Assert.Single(rendered.Single("Service", "orders").Spec.Maps("ports")).Text("targetPort"));
    }

    /// <summary>A rule with no sources admits everyone; an address range or another namespace is outside this system too.</summary>
    private static bool AdmitsOutsiders(YamlMappingNode rule) =>
        !rule.Has("from") || rule.Maps("from").Any(peer => peer.Has("ipBlock") || peer.Has("namespaceSelector"));
}
