using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Results;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The findings in plain words, with absolute figures and their conditions: whether the seed's assignment is met, and
/// the three largest improvements, each by its own proving metric. The first thing the README and the log's index say.
/// </summary>
public static class Findings
{
    /// <summary>How many of the largest improvements the findings name.</summary>
    public const int Largest = 3;

    public static string Markdown(LogInputs inputs, IReadOnlyList<Quote> quotes, Func<string, string> pageOf)
    {
        var md = new StringBuilder();
        Assignment(md, inputs, quotes.FirstOrDefault(q => q.Scenario == PerfCatalog.SeedCheckoutScenario), pageOf);
        var largest = quotes.Where(q => q.Scenario != PerfCatalog.SeedCheckoutScenario && q.Improvement is not null)
            .OrderByDescending(q => q.Improvement).ThenBy(q => q.Scenario, StringComparer.Ordinal)
            .Take(Largest)
            .ToArray();
        if (largest.Length > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"**The {largest.Length} largest improvements**, each by the metric that proves it:\n\n");
            foreach (var (q, i) in largest.Select((q, i) => (q, i + 1)))
            {
                var entry = PerfCatalog.Find(q.Scenario);
                md.Append(CultureInfo.InvariantCulture,
                    $"{i}. **{entry?.Title ?? q.Scenario}** ([`{q.Scenario}`]({pageOf(q.Scenario)}); naive: {entry?.Naive ?? "naive"}): " +
                    $"{q.Metric} {q.Naive} → {q.Optimized}, **{q.Median} better** — {q.Conditions}; {q.Count}, {Figures.Date(q.Newest)}.\n");
            }

            md.Append('\n');
        }

        return md.ToString();
    }

    private static void Assignment(StringBuilder md, LogInputs inputs, Quote? seed, Func<string, string> pageOf)
    {
        var runs = ProvingMetric.PairSetup(inputs, PerfCatalog.SeedCheckoutScenario, null)?.Current ?? [];
        if (seed is null || runs.Count == 0)
        {
            md.Append("**The seed's assignment** — a checkout with a P99 of seconds brought under ")
                .Append(Figures.Setting(ProvingMetrics.SeedSloMs)).Append(" — is not measured yet.\n\n");
            return;
        }

        var met = runs.All(r => r.Variants[^1].P99Ms < ProvingMetrics.SeedSloMs);
        var newest = runs[0];
        var profile = NetworkProfile.Find(newest.Profile);
        var link = profile is null || profile == NetworkProfile.Loopback ? "on loopback" : $"every link `{profile.Name}`, {Figures.Setting(profile.RoundTrip.TotalMilliseconds)} a round trip";
        md.Append(CultureInfo.InvariantCulture,
            $"**The seed's assignment — an order API whose checkout had a P99 of seconds, brought under {Figures.Setting(ProvingMetrics.SeedSloMs)} — is {(met ? "met" : "not met yet")}.** " +
            $"The [seed checkout]({pageOf(PerfCatalog.SeedCheckoutScenario)}) ({newest.Setup}; {link}; the payment provider {Figures.Setting(ProviderLatency.CallMs)} a call) " +
            $"answered with a P99 of **{seed.Naive}** as first written and **{seed.Optimized}** with every fix: **{seed.Median} better** " +
            $"({seed.Ratio} over {seed.Count} of {runs.Min(r => r.Variants.Min(v => v.Count)):N0} requests a variant at {Figures.RequestsPerSecond(newest.Rate)}, " +
            $"the newest on {Figures.Date(newest.StartedUtc)}{(seed.SlowLinks ? "; " + Mark.SlowLinks.Symbol : "")}).\n\n");
    }
}
