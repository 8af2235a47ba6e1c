using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Options;

/// <summary>A capacity search the lab can do, checked: the scenario, the plan, where to send it.</summary>
public sealed record CapacityOptions(
    Scenario Scenario, CapacityMode Mode, CapacityPlan Plan, TimeSpan Warmup, string Profile, Uri BaseUrl, string ResultsDirectory)
{
    public const string DefaultSlo = "500ms";
    public const double DefaultMaxErrorPercent = 1;
    public const double DefaultStartRate = 2;
    public const double DefaultFactor = 1.5;
    public const string DefaultStep = "10s";
    public const double DefaultMaxRate = 1_000;
    public const string DefaultWarmup = "5s";

    /// <summary>
    /// A request slower than this is given up and counted as an error: far past the service level
    /// it tells nothing more, and a bounded wait keeps a collapsed step from holding up the next one.
    /// </summary>
    public TimeSpan RequestTimeout => TimeSpan.FromMilliseconds(Math.Clamp(Plan.SloP99Ms * 10, 2_000, 30_000));

    public static CapacityOptions Create(
        string scenario, string mode, string slo, double maxErrorPercent, double startRate, double factor, string step, double maxRate,
        string warmup, string profile, string? baseUrl, string resultsDirectory, ClientLinkReading? clientLink = null)
    {
        var found = RunOptions.FindScenario(scenario).WithoutCompanion("capacity search");
        if (!Enum.TryParse<CapacityMode>(mode, ignoreCase: true, out var parsedMode) || !Enum.IsDefined(parsedMode) || int.TryParse(mode, out _))
        {
            throw new LabInputException($"--mode '{mode}' is not a capacity mode; use phased or interleaved.");
        }

        var sloMs = DurationOption.Parse(slo, "slo").TotalMilliseconds;
        var stepLength = DurationOption.Parse(step, "step");
        Require(sloMs > 0, $"--slo {slo} must be longer than zero.");
        Require(stepLength >= TimeSpan.FromSeconds(1), $"--step {step} must be at least 1s: a step needs enough requests for a P99.");
        Require(maxErrorPercent is >= 0 and < 100, $"--max-errors {maxErrorPercent} must be a percentage from 0 to below 100.");
        Require(startRate is > 0 and <= RunOptions.MaxRate, $"--start-rate {startRate} must be above 0 and at most {RunOptions.MaxRate}.");
        Require(factor is > 1 and <= 10, $"--factor {factor} must be above 1 (the rate has to climb) and at most 10.");
        Require(maxRate >= startRate && maxRate <= RunOptions.MaxRate, $"--max-rate {maxRate} must be at least the start rate and at most {RunOptions.MaxRate}.");

        var plan = new CapacityPlan(startRate, factor, maxRate, stepLength, sloMs, maxErrorPercent);
        return new CapacityOptions(found, parsedMode, plan, DurationOption.Parse(warmup, "warmup"), RunOptions.CheckOneProfile(profile, clientLink, "a capacity search"),
            RunOptions.CheckBaseUrl(baseUrl ?? RunOptions.DefaultBaseUrlFor(profile)), resultsDirectory);
    }

    /// <summary>The mode as a result file names it: <see cref="CapacityResult.Phased"/> or <see cref="CapacityResult.Interleaved"/>.</summary>
    public string ModeName => Mode == CapacityMode.Phased ? CapacityResult.Phased : CapacityResult.Interleaved;

    /// <summary>The variants climbed: naive and the entry's fix, or for the seed checkout everything naive and everything optimized.</summary>
    public IReadOnlyList<Variant> Variants => Scenario.Variants(journey: false);

    /// <summary>The command that reproduces this search (with the system started under the same profile).</summary>
    public string Command()
    {
        var command = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"dotnet run -c Release --project src/LoadLab -- capacity {Scenario.Id} --mode {ModeName} " +
            $"--slo {Durations.Format(TimeSpan.FromMilliseconds(Plan.SloP99Ms))} --max-errors {Plan.MaxErrorPercent} --start-rate {Plan.StartRate} " +
            $"--factor {Plan.Factor} --step {Durations.Format(Plan.Step)} --max-rate {Plan.MaxRate} --warmup {Durations.Format(Warmup)} --profile {Profile}"));
        return command.Append(RunOptions.BaseUrlArgument(BaseUrl, Profile)).ToString();
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new LabInputException(message);
        }
    }
}
