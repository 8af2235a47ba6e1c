using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Options;

/// <summary>A concurrency sweep the lab can do, checked: the scenario, the levels of requests in flight, how long each is held, where to send it.</summary>
public sealed record SweepOptions(
    Scenario Scenario, IReadOnlyList<int> Levels, TimeSpan Step, TimeSpan Warmup, string Profile, Uri BaseUrl, string ResultsDirectory)
{
    public const string DefaultLevels = "1,10,50,200";
    public const string DefaultStep = "20s";
    public const string DefaultWarmup = "3s";

    /// <summary>More in flight than this is a test of the client, not of the service.</summary>
    public const int MaxInFlight = 1_000;

    public static SweepOptions Create(
        string scenario, string levels, string step, string warmup, string profile, string? baseUrl, string resultsDirectory, ClientLinkReading? clientLink = null)
    {
        var found = RunOptions.FindScenario(scenario).WithoutCompanion("sweep");
        var parsed = ParseLevels(levels);
        var stepLength = DurationOption.Parse(step, "step");
        if (stepLength < TimeSpan.FromSeconds(1))
        {
            throw new LabInputException($"--step {step} must be at least 1s: a level needs enough requests for a P99.");
        }

        return new SweepOptions(found, parsed, stepLength, DurationOption.Parse(warmup, "warmup"), RunOptions.CheckOneProfile(profile, clientLink, "a sweep"),
            RunOptions.CheckBaseUrl(baseUrl ?? RunOptions.DefaultBaseUrlFor(profile)), resultsDirectory);
    }

    /// <summary>"1,10,50,200": distinct whole numbers from 1 to <see cref="MaxInFlight"/>, climbing.</summary>
    public static IReadOnlyList<int> ParseLevels(string levels)
    {
        var parts = levels.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var parsed = new List<int>(parts.Length);
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var level) || level is < 1 or > MaxInFlight)
            {
                throw new LabInputException($"--in-flight '{levels}': '{part}' is not a whole number of requests from 1 to {MaxInFlight}.");
            }

            if (parsed.Count > 0 && level <= parsed[^1])
            {
                throw new LabInputException($"--in-flight '{levels}': the levels must climb ({level} comes after {parsed[^1]}).");
            }

            parsed.Add(level);
        }

        return parsed.Count > 0 ? parsed : throw new LabInputException("--in-flight needs at least one level, e.g. 1,10,50,200.");
    }

    /// <summary>Naive and the entry's fix, or for the seed checkout everything naive and everything optimized.</summary>
    public IReadOnlyList<Variant> Variants => Scenario.Variants(journey: false);

    /// <summary>The command that reproduces this sweep (with the system started under the same profile).</summary>
    public string Command()
    {
        var command = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"dotnet run -c Release --project src/LoadLab -- sweep {Scenario.Id} --in-flight {string.Join(',', Levels)} " +
            $"--step {Durations.Format(Step)} --warmup {Durations.Format(Warmup)} --profile {Profile}"));
        return command.Append(RunOptions.BaseUrlArgument(BaseUrl, Profile)).ToString();
    }
}
