using System.Globalization;
using System.Text;
using PerfReference.LatencyProxy;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Engine;

/// <summary>A run the lab can do, checked: every rule the CLI and the serve API share lives here.</summary>
public sealed record RunOptions(
    Scenario Scenario, double Rate, TimeSpan Duration, TimeSpan Warmup, string Profile, Uri BaseUrl,
    string ResultsDirectory, bool Journey, bool Trace = false, int? TracePid = null, string? Condition = null)
{
    /// <summary>Take a heap dump of OrdersService after each phase (or at the end of an interleaved run) with dotnet-gcdump.</summary>
    public bool HeapDumps { get; init; }

    /// <summary>Where a client reaches OrdersService under a profile: directly on loopback, else through orders-link, as a remote client would.</summary>
    public static string DefaultBaseUrlFor(string profile) =>
        profile == NetworkProfile.Loopback.Name ? OrdersApiAddress.Direct : OrdersApiAddress.ThroughClientLink;

    public const double MaxRate = 10_000;

    public static RunOptions Create(
        string scenario, double rate, string duration, string warmup, string profile, string? baseUrl,
        string resultsDirectory, bool journey, bool trace = false, int? tracePid = null, string? condition = null)
    {
        var found = FindScenario(scenario);
        if (rate is not (> 0 and <= MaxRate) || double.IsNaN(rate))
        {
            throw new LabInputException(string.Create(CultureInfo.InvariantCulture, $"--rate {rate} is not a rate; give requests per second above 0 and at most {MaxRate}."));
        }

        var length = Durations.Parse(duration, "duration");
        // A cold-start scenario measures the first requests after its reset: a warm-up would hide them.
        var warm = found.MeasuresFromCold ? TimeSpan.Zero : Durations.Parse(warmup, "warmup");
        if (length <= TimeSpan.Zero)
        {
            throw new LabInputException($"--duration {duration} must be longer than zero.");
        }

        if (journey && !found.HasJourney)
        {
            throw new LabInputException($"--journey is for {PerfCatalog.SeedCheckoutScenario}; {scenario} compares naive with optimized.");
        }

        if (length.TotalSeconds * rate < found.Variants(journey).Count)
        {
            throw new LabInputException($"--rate {rate} for {duration} sends fewer requests than there are variants; raise one of them.");
        }

        if (condition is not null && (condition.Length is 0 or > 80 || condition.Any(char.IsControl)))
        {
            throw new LabInputException("--condition is a short note of up to 80 characters, such as 'index dropped' or 'through PgBouncer'.");
        }

        return new RunOptions(found, rate, length, warm, CheckProfile(profile), CheckBaseUrl(baseUrl ?? DefaultBaseUrlFor(profile)), resultsDirectory, journey, trace, tracePid, condition);
    }

    /// <summary>
    /// This run with a warm-up long enough to send a scenario's working set (each of its customers) at least once:
    /// a short warm-up at a low rate would leave first activations among the measured requests.
    /// </summary>
    public RunOptions WarmingUp(int? workingSet) =>
        workingSet is { } requests && Warmup.TotalSeconds * Rate < requests
            ? this with { Warmup = TimeSpan.FromSeconds(Math.Ceiling(requests / Rate)) }
            : this;

    public LoadPlan Plan()
    {
        var variants = Scenario.Variants(Journey);
        // A phased scenario runs the whole load once per variant, one after another.
        return new(Scenario.Id, Rate, Duration, Warmup, variants) { Phases = Scenario.IsPhased ? variants.Count : 1 };
    }

    /// <summary>The command that reproduces this run (with the system started under the same profile).</summary>
    public string Command()
    {
        var command = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"dotnet run --project src/LoadLab -- run {Scenario.Id} --rate {Rate} --duration {Durations.Format(Duration)} --warmup {Durations.Format(Warmup)} --profile {Profile}"));
        if (Journey)
        {
            command.Append(" --journey");
        }

        if (Condition is not null)
        {
            command.Append(" --condition '").Append(Condition.Replace("'", "'\\''")).Append('\'');
        }

        if (HeapDumps)
        {
            command.Append(" --gcdump");
        }

        return command.Append(BaseUrlArgument(BaseUrl, Profile)).ToString();
    }

    /// <summary>" --base-url &lt;url&gt;" for a command that reproduces a measurement, or nothing when the URL is the profile's default.</summary>
    public static string BaseUrlArgument(Uri baseUrl, string profile) =>
        baseUrl.ToString().TrimEnd('/') is var url && url != DefaultBaseUrlFor(profile) ? " --base-url " + url : "";

    public static Scenario FindScenario(string id)
    {
        if (ScenarioTable.Find(id) is { } scenario)
        {
            return scenario;
        }

        var known = string.Join(", ", ScenarioTable.All.Select(s => s.Id));
        throw new LabInputException(PerfCatalog.Find(id) is not null
            ? $"'{id}' is a catalog entry but has no lab scenario yet; scenarios: {known}."
            : $"'{id}' is not a scenario; scenarios: {known}.");
    }

    /// <summary>
    /// The network profile the system was started with (the AppHost parameter network-profile):
    /// the lab cannot change or see it, so it records what it is told, checked against the known names.
    /// </summary>
    public static string CheckProfile(string profile) =>
        NetworkProfile.All.FirstOrDefault(p => p.Name == profile)?.Name
        ?? throw new LabInputException($"--profile '{profile}' is not a network profile; use one of: {string.Join(", ", NetworkProfile.All.Select(p => p.Name))}.");

    public static Uri CheckBaseUrl(string baseUrl) =>
        Uri.TryCreate(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new LabInputException($"--base-url '{baseUrl}' is not an http(s) URL.");
}
