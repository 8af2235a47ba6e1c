using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Scenarios;

/// <summary>
/// Every scenario of the lab, in one table: what each one's requests are and how it prepares them, bound to what the
/// AppHost knows of it (<see cref="LabScenarios"/>: its id and its load) and to its catalog entry (<see cref="PerfCatalog"/>:
/// its title). A scenario exists for an entry when a request can show its naive code and its fix side by side.
/// </summary>
public static class ScenarioTable
{
    /// <summary>The seed lesson's order of fixes, for the journey's staircase.</summary>
    private static readonly PerfEntry[] SeedJourney =
        [PerfCatalog.NPlusOneDb, PerfCatalog.PaymentAsync, PerfCatalog.PaymentDeferred, PerfCatalog.Serialization, PerfCatalog.Compression];

    public static IReadOnlyList<Scenario> All { get; } =
    [
        For(CatalogIds.NPlusOneDb, "GET /api/orders/{id} of one order with 200 lines", ScenarioSetups.ReadLargeOrder),
        For(CatalogIds.NPlusOneGrains, "GET /api/customers/profiles?ids=1,...,50", ScenarioSetups.ReadProfiles),
        For(CatalogIds.PaymentAsync, "POST /api/orders with 2 lines, customer 1..100, a new Idempotency-Key each", ScenarioSetups.SmallCheckout),
        For(CatalogIds.PaymentDeferred, "POST /api/orders with 2 lines, customer 1..100, a new Idempotency-Key each", ScenarioSetups.SmallCheckout),
        For(CatalogIds.Serialization, "GET /api/customers/{id}/statement, customer 1..100", ScenarioSetups.ReadStatements),
        // The statement as the naive serialization writes it (~95 kB): where bandwidth decides. Measure it on a client's
        // link with a profile of its own (client-network-profile=mobile: 100 ms, 1.5 Mbit/s).
        For(CatalogIds.Compression, "GET /api/customers/{id}/statement of one customer (~95 kB, naive serialization) with Accept-Encoding: br, gzip",
            ScenarioSetups.ReadLargeStatement),
        For(CatalogIds.CacheWarming, "after POST /api/diagnostics/cold-start: GET /api/products/{id} and GET /api/customers/{id} alternately", ScenarioSetups.ReadAfterColdStart)
            with { BeforeEachVariant = ScenarioSetups.ColdStartAsync },
        // In turn: the naive plan's parallel scan takes both cores of a small machine, and the index plan interleaved
        // with it would measure that, not its own cost; alone, each variant also shows PostgreSQL's CPU per request.
        For(CatalogIds.MissingIndex, "GET /api/operations/orders-summary of a one-hour window", DatabaseSetups.ReadHourSummaries)
            with { SamplesRuntime = true },
        For(CatalogIds.ConnectionPooling, "GET /api/orders/{id}/status of a recent order", DatabaseSetups.PollOrderStatuses)
            with { SamplesRuntime = true },
        For(CatalogIds.UnboundedResults, "GET /api/orders of a 14-day window", DatabaseSetups.ReadFortnightListings)
            with { SamplesRuntime = true },
        For(CatalogIds.BulkInsert, "POST /api/products/import of 500 new products (JSON Lines)", DatabaseSetups.ImportNewProducts)
            with { AfterRun = DatabaseSetups.RemoveFeedProductsAsync },
        For(CatalogIds.ThreadPoolStarvation, "GET /api/orders/{id}/payment: a PostgreSQL query and a payment provider look-up (200 ms)", ScenarioSetups.ReadPaymentStatus),
        For(CatalogIds.LockContention, "POST /api/products/{id}/reservations of 1 unit, every other one of the same hot product", ScenarioSetups.ReserveStock),
        For(CatalogIds.MemoryLeak, "GET /api/products/pages?pageSize=100&page=1..3&_=<cache-buster>, one variant after the other", ScenarioSetups.BrowseCatalogPages)
            with { BeforeEachVariant = ScenarioSetups.NothingToReset, LiveHeap = ScenarioSetups.OrdersLiveHeapAsync },
        // On top of everything optimized: beside the naive checkout's 200 product queries and blocking payment calls, one
        // grain call's round trip is lost in the spread; in the optimized checkout it is a fifth of the service's time.
        For(CatalogIds.SequentialAwaits, "POST /api/orders with 200 lines, customer 1..100, a new Idempotency-Key each, everything else optimized",
            ScenarioSetups.LargeCheckout) with { OnTopOfOptimized = true },
        // On top of everything optimized too: the read is one grain call, and what it waits for is the write beside it.
        For(CatalogIds.GrainReadOnly, "GET /api/customers/1, everything else optimized, while orders for customer 1 are placed at one variant's rate " +
            "(one line, a new Idempotency-Key each, the authorisation before the answer: the grain's storage write on each checkout's path), recorded in neither variant",
            ScenarioSetups.ReadHotCustomer) with { OnTopOfOptimized = true },
        For(CatalogIds.SeedCheckout, "POST /api/orders with 200 lines, customer 1..100, a new Idempotency-Key each", ScenarioSetups.LargeCheckout)
            with { Title = "The seed checkout: everything naive against everything optimized", JourneySteps = SeedJourney },
    ];

    public static Scenario? Find(string id) => All.FirstOrDefault(s => s.Id == id);

    /// <summary>A scenario as <see cref="LabScenarios"/> lists it, titled as the catalog titles its entry.</summary>
    private static Scenario For(string id, string request, ScenarioSetup setup) =>
        new(LabScenarios.Find(id) ?? throw new InvalidOperationException($"{id} is not in Topology's LabScenarios."), PerfCatalog.Find(id)?.Title ?? id, request, setup);
}
