using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Options;

/// <summary>The client's link as the lab found it on this machine: the latency proxy's process and the profile it runs.</summary>
public sealed record ClientLinkReading(int ProcessId, string Profile);

/// <summary>A run the lab can do, checked: every rule the CLI and the serve API share lives here.</summary>
public sealed record RunOptions(
    Scenario Scenario, double Rate, TimeSpan Duration, TimeSpan Warmup, string Profile, Uri BaseUrl,
    string ResultsDirectory, bool Journey, bool Trace = false, int? TracePid = null, string? Condition = null)
{
    /// <summary>Take a heap dump of OrdersService after each phase (or at the end of an interleaved run) with dotnet-gcdump.</summary>
    public bool HeapDumps { get; init; }

    /// <summary>
    /// The profile of the client's link, orders-link (AppHost parameter client-network-profile): by default the
    /// system's own, <see cref="Profile"/>; a mobile client of a datacenter has <c>mobile</c> here and <c>seed</c> there.
    /// </summary>
    public string ClientProfile
    {
        get => _clientProfile ?? Profile;
        init => _clientProfile = value;
    }

    private readonly string? _clientProfile;

    /// <summary>
    /// Where a client reaches OrdersService: directly when neither the system nor the client's link has a profile
    /// (the AppHost then starts no orders-link), else through orders-link, as a remote client would.
    /// </summary>
    public static string DefaultBaseUrlFor(string profile, string? clientProfile = null) =>
        profile == NetworkProfile.Loopback.Name && (clientProfile ?? profile) == NetworkProfile.Loopback.Name
            ? OrdersApiAddress.Direct
            : OrdersApiAddress.ThroughClientLink;

    public const double MaxRate = 10_000;

    /// <summary>
    /// A checked run. <paramref name="clientProfile"/> is the client link's profile as given (null: not given);
    /// <paramref name="clientLink"/> what the lab found of that link on this machine (the command line reads it from orders-link's process), which
    /// settles it when nothing is given and must agree with it when something is.
    /// </summary>
    public static RunOptions Create(
        string scenario, double? rate, string? duration, string? warmup, string profile, string? baseUrl,
        string resultsDirectory, bool journey, bool trace = false, int? tracePid = null, string? condition = null,
        string? clientProfile = null, ClientLinkReading? clientLink = null)
    {
        var found = FindScenario(scenario);
        if (journey && !found.HasJourney)
        {
            throw new LabInputException($"--journey is for {PerfCatalog.SeedCheckoutScenario}; {scenario} compares naive with optimized.");
        }

        var checkedProfile = CheckProfile(profile);
        var client = ChooseClientProfile(checkedProfile, clientProfile, clientLink);
        // What is not given is the scenario's own load (for the client's link, when that has a profile of its own).
        var load = found.Facts.LoadFor(journey, client == checkedProfile ? null : client);
        var perSecond = rate ?? load.Rate;
        if (perSecond is not (> 0 and <= MaxRate) || double.IsNaN(perSecond))
        {
            throw new LabInputException(string.Create(CultureInfo.InvariantCulture, $"--rate {perSecond} is not a rate; give requests per second above 0 and at most {MaxRate}."));
        }

        var length = duration is null ? load.Duration : DurationOption.Parse(duration, "duration");
        // A cold-start scenario measures the first requests after its reset: a warm-up would hide them.
        var warm = found.MeasuresFromCold ? TimeSpan.Zero : warmup is null ? load.Warmup : DurationOption.Parse(warmup, "warmup");
        if (length <= TimeSpan.Zero)
        {
            throw new LabInputException($"--duration {Durations.Format(length)} must be longer than zero.");
        }

        if (length.TotalSeconds * perSecond < found.Variants(journey).Count)
        {
            throw new LabInputException(string.Create(CultureInfo.InvariantCulture,
                $"--rate {perSecond} for {Durations.Format(length)} sends fewer requests than there are variants; raise one of them."));
        }

        if (condition is not null && (condition.Length is 0 or > 80 || condition.Any(char.IsControl)))
        {
            throw new LabInputException("--condition is a short note of up to 80 characters, such as 'index dropped' or 'through PgBouncer'.");
        }

        return new RunOptions(found, perSecond, length, warm, checkedProfile, CheckBaseUrl(baseUrl ?? DefaultBaseUrlFor(checkedProfile, client)),
            resultsDirectory, journey, trace, tracePid, condition) { ClientProfile = client };
    }

    /// <summary>
    /// For a capacity search or a sweep, which record one profile: the client's link found on this machine must run it
    /// too, or the result would name a network its load did not cross.
    /// </summary>
    public static string CheckOneProfile(string profile, ClientLinkReading? clientLink, string what)
    {
        var checkedProfile = CheckProfile(profile);
        return clientLink is null || clientLink.Profile == checkedProfile
            ? checkedProfile
            : throw new LabInputException(
                $"The client's link on this machine (orders-link, process {clientLink.ProcessId}) runs the '{clientLink.Profile}' profile, not '{checkedProfile}': " +
                $"{what} records one profile. Start the system without Parameters__client-network-profile for it, or measure the client's link with run, which records both.");
    }

    /// <summary>
    /// The client link's profile: as given, checked against the link the lab found on this machine; else as found;
    /// else the system's (what a system started without client-network-profile has).
    /// </summary>
    public static string ChooseClientProfile(string profile, string? given, ClientLinkReading? found)
    {
        if (given is null)
        {
            return found?.Profile ?? profile;
        }

        var client = CheckProfile(given, "--client-profile");
        return found is null || found.Profile == client
            ? client
            : throw new LabInputException(
                $"--client-profile {client}, but the client's link on this machine (orders-link, process {found.ProcessId}) runs the '{found.Profile}' profile; " +
                $"leave --client-profile out to record what the link runs, or start the system with Parameters__client-network-profile={client}.");
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

    /// <summary>A file beside the run's result (a trace, a heap dump): results/&lt;scenario&gt;/&lt;UTC time&gt;-&lt;profile&gt;&lt;suffix&gt;.</summary>
    public string FileBeside(DateTimeOffset time, string suffix) =>
        Path.Combine(ResultsDirectory, Scenario.Id, $"{ResultFiles.Timestamp(time)}-{ResultFiles.ProfileTag(Profile, ClientProfile)}{suffix}");

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

        if (ClientProfile != Profile)
        {
            command.Append(" --client-profile ").Append(ClientProfile);
        }

        return command.Append(BaseUrlArgument(BaseUrl, Profile, ClientProfile)).ToString();
    }

    /// <summary>" --base-url &lt;url&gt;" for a command that reproduces a measurement, or nothing when the URL is the profile's default.</summary>
    public static string BaseUrlArgument(Uri baseUrl, string profile, string? clientProfile = null) =>
        baseUrl.ToString().TrimEnd('/') is var url && url != DefaultBaseUrlFor(profile, clientProfile) ? " --base-url " + url : "";

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
    public static string CheckProfile(string profile, string option = "--profile") =>
        NetworkProfile.All.FirstOrDefault(p => p.Name == profile)?.Name
        ?? throw new LabInputException($"{option} '{profile}' is not a network profile; use one of: {string.Join(", ", NetworkProfile.All.Select(p => p.Name))}.");

    public static Uri CheckBaseUrl(string baseUrl) =>
        Uri.TryCreate(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new LabInputException($"--base-url '{baseUrl}' is not an http(s) URL.");
}
