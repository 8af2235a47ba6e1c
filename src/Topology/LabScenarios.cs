namespace PerfReference.Topology;

/// <summary>
/// The load a scenario is measured with: <see cref="Rate"/> arrivals a second (all variants together), recorded for
/// <see cref="Duration"/> after <see cref="Warmup"/> of load that is not. Chosen per scenario so that the naive variant
/// stays below saturation on two cores (each figure is then the variant's cost, not a queue's length) and each variant
/// gets at least 300 measured requests (a P99 of fewer is little more than the slowest one).
/// </summary>
public sealed record ScenarioLoad(double Rate, TimeSpan Duration, TimeSpan Warmup)
{
    public static ScenarioLoad Of(double rate, int seconds, int warmupSeconds) => new(rate, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(warmupSeconds));
}

/// <summary>Where the log quotes a scenario from, and so how scripts/measure-all.sh measures it.</summary>
public enum MeasuredOn
{
    /// <summary>Under the network profile the system runs (seed for the log's figures), three runs each.</summary>
    Network,

    /// <summary>On loopback against the default data set (1M orders): the cost is in PostgreSQL and the service.</summary>
    Database,

    /// <summary>Once, long, with a heap dump after each variant's phase: what a process is like after ten minutes.</summary>
    Soak,
}

/// <summary>
/// A scenario of the load lab as the AppHost and the lab both know it: its id (a catalog entry's, or the seed checkout),
/// the load it is measured with, the load of its journey when it has one, and where the log quotes it from. The AppHost
/// makes a dashboard command of each; the lab's <c>run</c> and serve API take the load from here when none is given.
/// </summary>
public sealed record LabScenario(string Id, ScenarioLoad Load, MeasuredOn MeasuredOn = MeasuredOn.Network)
{
    /// <summary>The load of the cumulative staircase (<c>--journey</c>); null for a scenario without one.</summary>
    public ScenarioLoad? JourneyLoad { get; init; }

    public bool HasJourney => JourneyLoad is not null;

    /// <summary>
    /// Requests sent beside the measured ones, recorded in neither variant, per measured request (of all variants): at 0.5
    /// beside two interleaved variants the companion load runs at one variant's rate, whatever rate a run is given, for as
    /// long as the measured load runs (warm-up included). 0 for a scenario that measures its requests alone. What the
    /// companion requests are is the lab's scenario table's.
    /// </summary>
    public double CompanionRatio { get; init; }

    public bool HasCompanion => CompanionRatio > 0;

    /// <summary>
    /// Loads for a client's link with a profile of its own, by that profile: a mobile client's 1.5 Mbit/s carries one
    /// naive statement a second, where the datacenter's links carry ten.
    /// </summary>
    public IReadOnlyDictionary<string, ScenarioLoad> ClientLinkLoads { get; init; } = new Dictionary<string, ScenarioLoad>();

    /// <summary>The load of a run of this scenario: its journey's, the client link's own, or its own.</summary>
    public ScenarioLoad LoadFor(bool journey, string? clientProfile) =>
        journey && JourneyLoad is { } staircase ? staircase
        : clientProfile is not null && ClientLinkLoads.TryGetValue(clientProfile, out var client) ? client
        : Load;
}

/// <summary>Every scenario of the lab, in the log's order; the lab binds each to its setup and its catalog entry.</summary>
public static class LabScenarios
{
    public static IReadOnlyList<LabScenario> All { get; } =
    [
        new(CatalogIds.NPlusOneDb, ScenarioLoad.Of(4, 150, 5)),
        // 50 grain calls a naive request, each across the shaped gateway and silo links: at 20 requests/s the two cores'
        // load average stood near 9 and the lab sent late by 145 ms at P99.
        new(CatalogIds.NPlusOneGrains, ScenarioLoad.Of(4, 150, 5)),
        new(CatalogIds.PaymentAsync, ScenarioLoad.Of(10, 60, 5)),
        new(CatalogIds.PaymentDeferred, ScenarioLoad.Of(10, 60, 5)),
        new(CatalogIds.Serialization, ScenarioLoad.Of(20, 30, 5)),
        // A mobile client (client-network-profile=mobile): a naive response of ~95 kB takes about 0.5 s at 1.5 Mbit/s, so one
        // request a second leaves the link idle between responses and none waits behind another's bytes.
        new(CatalogIds.Compression, ScenarioLoad.Of(10, 60, 5))
        {
            ClientLinkLoads = new Dictionary<string, ScenarioLoad> { [NetworkProfile.Mobile.Name] = ScenarioLoad.Of(1, 600, 10) },
        },
        // The first requests after a cold start are the measurement: no warm-up.
        new(CatalogIds.CacheWarming, ScenarioLoad.Of(50, 20, 0)),
        new(CatalogIds.MissingIndex, ScenarioLoad.Of(2, 150, 5), MeasuredOn.Database),
        new(CatalogIds.ConnectionPooling, ScenarioLoad.Of(10, 40, 5), MeasuredOn.Database),
        new(CatalogIds.UnboundedResults, ScenarioLoad.Of(2, 150, 5), MeasuredOn.Database),
        new(CatalogIds.BulkInsert, ScenarioLoad.Of(1, 600, 10), MeasuredOn.Database),
        new(CatalogIds.ThreadPoolStarvation, ScenarioLoad.Of(6, 100, 5)),
        new(CatalogIds.LockContention, ScenarioLoad.Of(20, 30, 5)),
        // The soak: ten minutes a variant, the live heap before and after each.
        new(CatalogIds.MemoryLeak, ScenarioLoad.Of(50, 600, 5), MeasuredOn.Soak),
        new(CatalogIds.SequentialAwaits, ScenarioLoad.Of(5, 120, 5)),
        // Reads of one hot customer, 20 a second a variant, while its orders are recorded at one variant's rate (the
        // companion load, 20 a second: every write a storage write of the customer's grain on the request path).
        new(CatalogIds.GrainReadOnly, ScenarioLoad.Of(40, 60, 5)) { CompanionRatio = 0.5 },
        // The journey interleaves seven steps at the checkout's own rate: 720 s gives each step over 300 measured requests.
        new(CatalogIds.SeedCheckout, ScenarioLoad.Of(3, 200, 5)) { JourneyLoad = ScenarioLoad.Of(3, 720, 5) },
    ];

    public static LabScenario? Find(string id) => All.FirstOrDefault(scenario => scenario.Id == id);
}
