using PerfReference.LoadLab.Results;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Scenarios;

/// <summary>Makes request number <c>i</c> of a run (the engine adds the variant and entry headers).</summary>
public delegate HttpRequestMessage RequestFactory(long i);

/// <summary>Prepares what a scenario's requests need (product ids, an order) and returns the request factory.</summary>
public delegate Task<PreparedScenario> ScenarioSetup(HttpClient http, CancellationToken ct);

/// <summary>Takes out what a run added to the system (the bulk-insert run's products), so the next run starts where this one did.</summary>
public delegate Task ScenarioCleanup(HttpClient http, CancellationToken ct);

/// <summary>Puts the system back in the state a phase measures from (a cold start), for the variant about to run.</summary>
public delegate Task ScenarioReset(HttpClient http, Variant variant, CancellationToken ct);

/// <summary>Measures the service's live heap in MB (after a full collection): before and after each phase of a soak.</summary>
public delegate Task<double> LiveHeapProbe(HttpClient http, CancellationToken ct);

/// <summary>A scenario ready to run: its factory, and one line on what the setup made (recorded in the result).</summary>
public sealed record PreparedScenario(RequestFactory CreateRequest, string Setup)
{
    /// <summary>What one request carries when the proving metric is a rate of work, not of requests (rows per import): its amount and unit.</summary>
    public WorkPerRequest? Work { get; init; }

    /// <summary>
    /// How many distinct things the requests cycle through (customers whose grains activate, whose statements
    /// are cached): a run's warm-up sends at least this many requests, so that the measured requests meet a warm
    /// system rather than first activations. Null for a scenario whose cold start is the point (cache-warming).
    /// </summary>
    public int? WorkingSet { get; init; }

    /// <summary>Requests sent beside the measured ones and recorded in neither variant (<see cref="LabScenario.CompanionRatio"/>); null for none.</summary>
    public CompanionRequests? Companion { get; init; }
}

/// <summary>
/// The requests of a companion load: what they are in words, the variant they are sent as (its label names them apart from
/// the measured variants; they carry no <c>X-Perf-Entry</c>, so the service's per-entry figures leave them out too), and
/// how request number <c>i</c> is made.
/// </summary>
public sealed record CompanionRequests(string Request, Variant Variant, RequestFactory CreateRequest)
{
    public const string Label = "companion";
}

/// <summary>
/// The load that proves one catalog entry (or the seed journey): what one request does, how to
/// prepare it, and the variants interleaved in a run.
/// </summary>
public sealed record Scenario(LabScenario Facts, string Title, string Request, ScenarioSetup Setup)
{
    public string Id => Facts.Id;

    /// <summary>
    /// The scenario as a measurement other than a run would load it (a capacity search, a sweep): refused when its load
    /// needs a companion, which only a run sends.
    /// </summary>
    public Scenario WithoutCompanion(string measurement) => Facts.HasCompanion
        ? throw new LabInputException($"{Id} measures its requests beside a companion load, which only run sends; a {measurement} of it would measure them alone.")
        : this;

    /// <summary>The catalog entry this scenario measures; null for the seed journey.</summary>
    public PerfEntry? Entry => PerfCatalog.Find(Id);

    /// <summary>The fixes of the journey's staircase, in order; none for a scenario without a journey.</summary>
    public IReadOnlyList<PerfEntry> JourneySteps { get; init; } = [];

    public bool HasJourney => Facts.HasJourney;

    /// <summary>
    /// Set for a scenario whose variants cannot share a run (a cold start is global): the variants
    /// then run one after another, each after this reset and without a warm-up, each measuring the
    /// first requests that follow its reset.
    /// </summary>
    public ScenarioReset? BeforeEachVariant { get; init; }

    /// <summary>
    /// Set for a scenario whose proof is process-wide — the service's working set and allocations, PostgreSQL's CPU
    /// and sessions — which no request of an interleaved run could be charged with: the variants then run one after
    /// another, each after a full collection and its own warm-up, and the lab samples the service's runtime
    /// (<c>GET /api/diagnostics/runtime</c>) during each.
    /// </summary>
    public bool SamplesRuntime { get; init; }

    /// <summary>The variants run one after another (a cold start, or process-wide figures), not interleaved.</summary>
    public bool IsPhased => BeforeEachVariant is not null || SamplesRuntime;

    /// <summary>Run after the measurement, whether it succeeded or not: what the run added goes again.</summary>
    public ScenarioCleanup? AfterRun { get; init; }

    /// <summary>Each phase measures the first requests after its reset: no warm-up.</summary>
    public bool MeasuresFromCold => BeforeEachVariant is not null;

    /// <summary>
    /// Set for a soak (a phased scenario about memory): the live heap is measured before and after
    /// each phase, so each variant's growth is what it left reachable, not garbage awaiting a full collection.
    /// </summary>
    public LiveHeapProbe? LiveHeap { get; init; }

    /// <summary>
    /// Set for an entry whose gain is milliseconds that the naive code's seconds would hide (a grain's round trip
    /// beside two blocking payment calls): its run is everything optimized but the entry against everything optimized.
    /// Still one change between the variants.
    /// </summary>
    public bool OnTopOfOptimized { get; init; }

    /// <summary>
    /// An entry's scenario: naive against the entry's fix alone (or, <see cref="OnTopOfOptimized"/>, everything
    /// optimized but the entry against everything optimized). The seed journey: everything naive against everything
    /// optimized, or with <paramref name="journey"/> the cumulative staircase.
    /// </summary>
    public IReadOnlyList<Variant> Variants(bool journey) => (Entry, journey) switch
    {
        ({ } entry, _) when OnTopOfOptimized => [Variant.OnlyNaive(entry), Variant.Optimized],
        ({ } entry, _) => [Variant.Naive, Variant.OnlyOptimized(entry)],
        (null, true) => Variant.Staircase(JourneySteps),
        (null, false) => [Variant.Naive, Variant.Optimized],
    };
}
