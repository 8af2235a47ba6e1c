using System.Globalization;
using PerfReference.LoadLab.Engine;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Options;

/// <summary>
/// A ceiling measurement the lab can do, checked: how many requests to hold in flight, how many rounds of how long,
/// the warm-up before them, and the system it loads.
/// </summary>
public sealed record CeilingOptions(int InFlight, int Rounds, TimeSpan Step, TimeSpan Warmup, string Profile, Uri BaseUrl, string ResultsDirectory)
{
    public const int DefaultInFlight = 16;
    public const int DefaultRounds = 5;
    public const string DefaultStep = "10s";
    public const string DefaultWarmup = "5s";

    /// <summary>Fewer rounds give no spread worth the name (lowest, median, highest).</summary>
    public const int MinRounds = 3;

    public const int MaxRounds = 50;

    public static CeilingOptions Create(int inFlight, int rounds, string step, string warmup, string profile, string? baseUrl, string resultsDirectory)
    {
        if (inFlight is < 1 or > SweepOptions.MaxInFlight)
        {
            throw new LabInputException($"--in-flight {inFlight} is not a number of requests from 1 to {SweepOptions.MaxInFlight}.");
        }

        if (rounds is < MinRounds or > MaxRounds)
        {
            throw new LabInputException($"--rounds {rounds}: give {MinRounds} to {MaxRounds} rounds (the ratio's spread needs at least {MinRounds}).");
        }

        var stepLength = DurationOption.Parse(step, "step");
        if (stepLength < TimeSpan.FromSeconds(1))
        {
            throw new LabInputException($"--step {step} must be at least 1s: a round needs enough requests to be a throughput.");
        }

        return new CeilingOptions(inFlight, rounds, stepLength, DurationOption.Parse(warmup, "warmup"), RunOptions.CheckProfile(profile),
            RunOptions.CheckBaseUrl(baseUrl ?? RunOptions.DefaultBaseUrlFor(profile)), resultsDirectory);
    }

    /// <summary>What is different about this measurement (a setting of the system tried against the cost of telemetry): recorded with it and kept apart in the log.</summary>
    public string? Condition { get; init; }

    /// <summary>The command that reproduces this measurement (with the system started under the same profile and telemetry).</summary>
    public string Command() => string.Create(CultureInfo.InvariantCulture,
        $"dotnet run -c Release --project src/LoadLab -- ceiling --in-flight {InFlight} --rounds {Rounds} " +
        $"--step {Durations.Format(Step)} --warmup {Durations.Format(Warmup)} --profile {Profile}{RunOptions.BaseUrlArgument(BaseUrl, Profile)}{(Condition is null ? "" : $" --condition '{Condition}'")}");
}
