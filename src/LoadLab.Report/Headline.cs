using System.Globalization;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The newest naive ÷ optimized figure of one scenario, with where it was taken: what the dashboard
/// shows in the loadlab resource's details and what heads the record page. Only runs of two
/// variants count (a journey's staircase has its own table in the log).
/// </summary>
public sealed record Headline(
    string Scenario,
    string P99Ratio,
    string P50Ratio,
    long RequestsPerVariant,
    string Profile,
    double Rate,
    DateTimeOffset StartedUtc,
    string Commit)
{
    /// <summary>The newest run of each scenario, newest first.</summary>
    public static IReadOnlyList<Headline> Newest(IReadOnlyList<RunResult> results) =>
    [
        .. results
            .Where(r => r.Variants.Count == 2)
            .GroupBy(r => r.Scenario, StringComparer.Ordinal)
            .Select(runs => runs.OrderByDescending(r => r.StartedUtc).ThenBy(r => r.Profile, StringComparer.Ordinal).First())
            .Select(From)
            .OrderByDescending(h => h.StartedUtc)
            .ThenBy(h => h.Scenario, StringComparer.Ordinal),
    ];

    private static Headline From(RunResult run)
    {
        var (naive, optimized) = (run.Variants[0], run.Variants[1]);
        return new(run.Scenario, Figures.Ratio(naive.P99Ms, optimized.P99Ms), Figures.Ratio(naive.P50Ms, optimized.P50Ms),
            Math.Min(naive.Count, optimized.Count), Figures.Network(run), run.Rate, run.StartedUtc, run.Commit);
    }

    /// <summary>Where the figure comes from, in a line: "seed, 4 rps, 300 requests a variant, 2026-11-29 10:02 UTC, commit abc1234".</summary>
    public string Conditions => string.Create(CultureInfo.InvariantCulture,
        $"{Profile}, {Figures.Rate(Rate)} rps, {RequestsPerVariant} requests a variant, {StartedUtc.UtcDateTime:yyyy-MM-dd HH:mm} UTC, commit {Commit}");
}
