using System.Globalization;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Options;

/// <summary>
/// An overload run the lab can do, checked: one variant of a scenario (the optimized one by default) offered open-loop
/// load at multiples of its capacity (<see cref="Factors"/> × <see cref="CapacityRate"/>), each held for a step, with
/// the service's admission control in front of it — what a deployment does past its knee.
/// </summary>
public sealed record OverloadOptions(
    Scenario Scenario, Variant Variant, double CapacityRate, string CapacitySource, IReadOnlyList<double> Factors, TimeSpan Step, TimeSpan Warmup,
    double SloP99Ms, string Profile, Uri BaseUrl, string ResultsDirectory)
{
    public const string DefaultFactors = "0.5,1,1.5,2";
    public const string DefaultStep = "20s";
    public const string DefaultWarmup = "5s";

    /// <summary>
    /// Checked options. The capacity is <paramref name="capacity"/> when given, else the highest sustained rate of the
    /// newest phased capacity search of the scenario and profile among <paramref name="capacities"/> at the service level
    /// <paramref name="slo"/> (500 ms when null) that found one.
    /// </summary>
    public static OverloadOptions Create(
        string scenario, string? variant, double? capacity, string factors, string step, string warmup, string? slo, string profile, string? baseUrl,
        string resultsDirectory, IReadOnlyList<CapacityResult> capacities)
    {
        var found = RunOptions.FindScenario(scenario);
        var variants = found.Variants(journey: false);
        var chosen = variant is null ? variants[^1] : variants.FirstOrDefault(v => v.Label == variant)
            ?? throw new LabInputException($"--variant '{variant}' is not a variant of {found.Id}; use {string.Join(" or ", variants.Select(v => v.Label))}.");
        var checkedProfile = RunOptions.CheckProfile(profile);

        // A capacity is a capacity at a service level: the newest search at the one the accepted requests are held to that
        // found the variant's (a search at 50 ms may have found none; one at 5 s a rate far past the knee at 500 ms).
        var sloMs = DurationOption.Parse(slo ?? CapacityOptions.DefaultSlo, "slo").TotalMilliseconds;
        var search = capacities.Where(c => c.Scenario == found.Id && c.Profile == checkedProfile && c.Mode == CapacityResult.Phased && c.SloP99Ms == sloMs
                && c.Variants.Any(v => v.Label == chosen.Label && v.SustainedRate is not null))
            .OrderByDescending(c => c.StartedUtc).FirstOrDefault();
        var measured = search?.Variants.First(v => v.Label == chosen.Label).SustainedRate;
        var rate = capacity ?? measured ?? throw new LabInputException(
            $"No phased capacity search of {found.Id} ({chosen.Label}) under '{checkedProfile}' in {resultsDirectory}: give --capacity <RPS>, " +
            $"or measure it first (dotnet run -c Release --project src/LoadLab -- capacity {found.Id} --profile {checkedProfile}).");
        Require(rate is > 0 and <= RunOptions.MaxRate, string.Create(CultureInfo.InvariantCulture, $"--capacity {rate} must be above 0 and at most {RunOptions.MaxRate}."));
        var source = capacity is not null
            ? "given (--capacity)"
            : $"the newest phased capacity search ({ResultFiles.Capacity.Folder}/{found.Id}/{ResultFiles.Timestamp(search!.StartedUtc)}-{search.Profile}-{search.Mode}.json)";

        var multiples = ParseFactors(factors);
        var stepLength = DurationOption.Parse(step, "step");
        Require(stepLength >= TimeSpan.FromSeconds(5), $"--step {step} must be at least 5s: a step needs enough accepted requests for a P99.");
        Require(sloMs > 0, $"--slo {slo} must be longer than zero.");
        return new OverloadOptions(found, chosen, rate, source, multiples, stepLength, DurationOption.Parse(warmup, "warmup"), sloMs, checkedProfile,
            RunOptions.CheckBaseUrl(baseUrl ?? RunOptions.DefaultBaseUrlFor(checkedProfile)), resultsDirectory);
    }

    /// <summary>"0.5,1,1.5,2": ascending multiples of the capacity, up to ten, among them <see cref="OverloadRule.Factor"/> (the step the rule judges).</summary>
    public static IReadOnlyList<double> ParseFactors(string factors)
    {
        var parsed = factors.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(f => double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 10 ? value
                : throw new LabInputException($"--factors '{factors}': '{f}' is not a multiple of the capacity above 0 and at most 10."))
            .ToArray();
        Require(parsed.Length > 0 && parsed.SequenceEqual(parsed.Order().Distinct()), $"--factors '{factors}' must be distinct multiples in ascending order.");
        Require(parsed.Contains(OverloadRule.Factor), string.Create(CultureInfo.InvariantCulture, $"--factors '{factors}' must include {OverloadRule.Factor}: the step the overload rule judges."));
        return parsed;
    }

    /// <summary>A request slower than this is given up and counted as failed (as a capacity search's are).</summary>
    public TimeSpan RequestTimeout => TimeSpan.FromMilliseconds(Math.Clamp(SloP99Ms * 10, 2_000, 30_000));

    /// <summary>The rate of one step: the capacity times its factor, to a tenth of a request a second.</summary>
    public double RateAt(double factor) => Math.Round(CapacityRate * factor, 1);

    public string Command() => string.Create(CultureInfo.InvariantCulture,
        $"dotnet run -c Release --project src/LoadLab -- overload {Scenario.Id} --variant {Variant.Label} --capacity {CapacityRate} " +
        $"--factors {string.Join(',', Factors.Select(f => f.ToString(CultureInfo.InvariantCulture)))} --step {Durations.Format(Step)} --warmup {Durations.Format(Warmup)} " +
        $"--slo {Durations.Format(TimeSpan.FromMilliseconds(SloP99Ms))} --profile {Profile}{RunOptions.BaseUrlArgument(BaseUrl, Profile)}");

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new LabInputException(message);
        }
    }
}
