using System.Globalization;
using System.Text;
using PerfReference.DeploymentTests.Manifests;
using YamlDotNet.RepresentationModel;

namespace PerfReference.DeploymentTests;

/// <summary>
/// The alert rules the deployment carries (deploy/kubernetes/base/monitoring/alert-rules.yaml), evaluated offline by
/// Prometheus' own rule tester (promtool test rules, installed by scripts/k8s-check.sh): half an hour of checkouts,
/// one a second, each with a naive checkout's metrics fires every alert; the same with an optimized checkout's, none.
/// </summary>
public sealed class AlertRuleTests(RenderedManifests manifests)
{
    private static readonly string Rules = Path.Combine(Repository.Root, "deploy", "kubernetes", "base", "monitoring", "alert-rules.yaml");

    /// <summary>
    /// What one checkout reports (PerfMetrics), from results/seed-checkout/20261130T083354Z-seed.json: the naive
    /// checkout of 200 lines waited seconds and made 203 round trips, 2 grain calls and 2 payment calls; the optimized one
    /// tens of milliseconds, 3 to 4 round trips (4 when it fetches the next block of order ids), 1 grain call, none to the provider.
    /// </summary>
    private static readonly CheckoutMetrics Naive = new(DurationMs: 2_400, DbRoundtrips: 203, GrainCalls: 2, PaymentCalls: 2);

    private static readonly CheckoutMetrics Optimized = new(DurationMs: 62, DbRoundtrips: 4, GrainCalls: 1, PaymentCalls: 0);

    /// <summary>The OpenTelemetry SDK's default bucket boundaries for a histogram (PerfMetrics sets none of its own).</summary>
    private static readonly double[] Boundaries = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1_000, 2_500, 5_000, 7_500, 10_000];

    private const int Minutes = 30;
    private const int CheckoutsAMinute = 60;

    [Fact]
    public async Task NaiveCheckoutsFireEveryAlertAndOptimizedOnesNone()
    {
        var alerts = AlertsOf(Rules);
        var test = Path.Combine(Directory.CreateTempSubdirectory("perfref-alerts-").FullName, "checkout-alerts.test.yaml");
        await File.WriteAllTextAsync(test, RuleTest(alerts), TestContext.Current.CancellationToken);
        try
        {
            var run = await CheckRun.RunAsync(["promtool", "test", "rules", test], TestContext.Current.CancellationToken);

            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("SUCCESS", run.Output);
            Assert.Equal(["CheckoutDatabaseRoundTripsAboveOptimized", "CheckoutGrainCallsAboveOptimized", "CheckoutP99AboveServiceLevel", "CheckoutPaymentCallsOnTheRequestPath"],
                alerts.Select(a => a.Name).Order());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(test)!, recursive: true);
        }
    }

    [Fact]
    public void TheRulesShipAsAConfigMapInEveryOverlayAndPassPromtoolsCheck()
    {
        Assert.Contains($"Checking {Path.Combine("deploy", "kubernetes", "base", "monitoring", "alert-rules.yaml")}\n  SUCCESS: 4 rules found", manifests.Check.Output);
        foreach (var overlay in Overlays.All.Select(row => row.Data))
        {
            var configMap = Assert.Single(manifests[overlay].OfKind("ConfigMap"), c => c.Name.StartsWith("perfreference-alert-rules", StringComparison.Ordinal));
            Assert.Equal(File.ReadAllText(Rules), configMap.Node.Strings("data")["alert-rules.yaml"]);
        }
    }

    /// <summary>A promtool rule test: the naive feed expects every alert firing, the optimized feed none.</summary>
    private static string RuleTest(IReadOnlyList<Alert> alerts)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"rule_files: ['{Rules}']");
        yaml.AppendLine("evaluation_interval: 1m");
        yaml.AppendLine("tests:");
        foreach (var (checkout, fires) in new[] { (Naive, true), (Optimized, false) })
        {
            yaml.AppendLine("  - interval: 1m");
            yaml.AppendLine("    input_series:");
            foreach (var (series, perMinute) in Series(checkout))
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"      - series: '{series}'");
                yaml.AppendLine(CultureInfo.InvariantCulture, $"        values: '0+{perMinute.ToString(CultureInfo.InvariantCulture)}x{Minutes}'");
            }

            yaml.AppendLine("    alert_rule_test:");
            foreach (var alert in alerts)
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"      - eval_time: {Minutes - 5}m");
                yaml.AppendLine(CultureInfo.InvariantCulture, $"        alertname: {alert.Name}");
                if (!fires)
                {
                    yaml.AppendLine("        exp_alerts: []");
                    continue;
                }

                yaml.AppendLine("        exp_alerts:");
                yaml.AppendLine(CultureInfo.InvariantCulture, $"          - exp_labels: {{{Pairs(alert.Labels)}}}");
                yaml.AppendLine(CultureInfo.InvariantCulture, $"            exp_annotations: {{{Pairs(alert.Annotations)}}}");
            }
        }

        return yaml.ToString();
    }

    /// <summary>The series OrdersService exports for checkouts like <paramref name="checkout"/>, and what each gains a minute.</summary>
    private static IEnumerable<(string Series, double PerMinute)> Series(CheckoutMetrics checkout)
    {
        const string Checkout = "job=\"orders\",perf_operation=\"PlaceOrder\",perf_variant=\"optimized\",perf_entry=\"none\"";
        foreach (var le in Boundaries.Select(b => b.ToString(CultureInfo.InvariantCulture)).Append("+Inf"))
        {
            var within = le == "+Inf" || checkout.DurationMs <= double.Parse(le, CultureInfo.InvariantCulture);
            yield return ($"perf_request_duration_milliseconds_bucket{{{Checkout},le=\"{le}\"}}", within ? CheckoutsAMinute : 0);
        }

        foreach (var (name, value) in new[] { ("db_roundtrips", checkout.DbRoundtrips), ("grain_calls", checkout.GrainCalls), ("payment_calls", checkout.PaymentCalls) })
        {
            yield return ($"perf_request_{name}_sum{{{Checkout}}}", CheckoutsAMinute * value);
            yield return ($"perf_request_{name}_count{{{Checkout}}}", CheckoutsAMinute);
        }
    }

    private static List<Alert> AlertsOf(string file)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            stream.Load(reader);
        }

        return [.. ((YamlMappingNode)stream.Documents[0].RootNode).Maps("groups")
            .SelectMany(group => group.Maps("rules"))
            .Where(rule => rule.Has("alert"))
            .Select(rule => new Alert(rule.Text("alert")!, rule.Strings("labels"), rule.Strings("annotations")))];
    }

    private static string Pairs(IReadOnlyDictionary<string, string> pairs) =>
        string.Join(", ", pairs.Select(pair => $"{pair.Key}: '{pair.Value.Replace("'", "''", StringComparison.Ordinal)}'"));

    private sealed record CheckoutMetrics(double DurationMs, int DbRoundtrips, int GrainCalls, int PaymentCalls);

    private sealed record Alert(string Name, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations);
}
