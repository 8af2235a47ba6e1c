using System.Globalization;
using System.Text.RegularExpressions;
using PerfReference.DeploymentTests.Manifests;

namespace PerfReference.DeploymentTests;

/// <summary>
/// docs/scaling.md sizes the orders API the way the production overlay's autoscaler does: against the pods' CPU
/// request and the autoscaler's target utilisation, both read here from the rendered overlay, so the plan and the
/// manifests cannot drift apart.
/// </summary>
public sealed partial class CapacityPlanTests(RenderedManifests manifests)
{
    private static readonly string Plan = File.ReadAllText(Path.Combine(Repository.Root, "docs", "scaling.md"));

    [Fact]
    public void ThePlanQuotesTheRequestAndTheTargetTheProductionOverlaySets()
    {
        var (requestCores, target, maxReplicas) = ProductionAutoscaling();

        Assert.Equal(Millicores(requestCores), Single(RequestQuoted()));
        Assert.Equal(target.ToString(CultureInfo.InvariantCulture), Single(TargetQuoted()));
        Assert.Equal(requestCores * target / 100, double.Parse(Single(PodCarriesQuoted()), CultureInfo.InvariantCulture), precision: 3);
        Assert.Equal(maxReplicas.ToString(CultureInfo.InvariantCulture), Single(MaximumQuoted()));
    }

    [Fact]
    public void EveryPodCountIsTheCpuNeededOverWhatAPodCarriesAtTheTarget()
    {
        var (requestCores, target, _) = ProductionAutoscaling();
        var perPod = requestCores * target / 100;
        var counts = PodCount().Matches(Plan);

        Assert.True(counts.Count >= 2, "The plan should size the target load and ten times it in pods.");
        Assert.All(counts, count =>
        {
            var cores = double.Parse(count.Groups["ms"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) / 1000;
            Assert.True(Math.Ceiling(cores / perPod) == int.Parse(count.Groups["pods"].Value, CultureInfo.InvariantCulture),
                $"'{count.Value}': {cores} cores at {perPod} a pod are {Math.Ceiling(cores / perPod)} pods");
        });
    }

    /// <summary>The orders pods' CPU request (cores), the autoscaler's target utilisation (%) and its maximum, as the production overlay renders them.</summary>
    private (double RequestCores, int Target, int MaxReplicas) ProductionAutoscaling()
    {
        var rendered = manifests["production"];
        var request = Assert.Single(rendered.Single("Deployment", "orders").MainContainers).Node.Path("resources", "requests").Text("cpu")!;
        var autoscaler = Assert.Single(rendered.OfKind("HorizontalPodAutoscaler"));
        var target = Assert.Single(autoscaler.Spec.Maps("metrics"), m => m.Map("resource").Text("name") == "cpu").Path("resource", "target").Text("averageUtilization")!;
        var cores = request.EndsWith('m') ? double.Parse(request[..^1], CultureInfo.InvariantCulture) / 1000 : double.Parse(request, CultureInfo.InvariantCulture);
        return (cores, int.Parse(target, CultureInfo.InvariantCulture), int.Parse(autoscaler.Spec.Text("maxReplicas")!, CultureInfo.InvariantCulture));
    }

    private static string Millicores(double cores) => (cores * 1000).ToString("0", CultureInfo.InvariantCulture);

    private static string Single(Regex pattern) => Assert.Single(pattern.Matches(Plan)).Groups[1].Value;

    [GeneratedRegex(@"requests \*\*(\d+)m\*\* of CPU for each OrdersService pod")]
    private static partial Regex RequestQuoted();

    [GeneratedRegex(@"at \*\*(\d+) %\*\* of that request")]
    private static partial Regex TargetQuoted();

    [GeneratedRegex(@"a pod carries \*\*([\d.]+) cores\*\*")]
    private static partial Regex PodCarriesQuoted();

    [GeneratedRegex(@"maximum of \*\*(\d+)\*\* OrdersService pods")]
    private static partial Regex MaximumQuoted();

    [GeneratedRegex(@"(?<ms>[\d,]+) ms of CPU a second →\s+\*\*(?<pods>\d+)\*\*\s+(OrdersService )?pods")]
    private static partial Regex PodCount();
}
