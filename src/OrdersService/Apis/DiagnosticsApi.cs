using System.Runtime;
using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PerfReference.CustomerGrains;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersService.Caching;
using PerfReference.OrdersService.Infrastructure;
using PerfReference.OrdersService.Payments;
using PerfReference.OrdersService.Products.Import;
using PerfReference.Payments.V1;
using PerfReference.Performance;
using StackExchange.Redis;

namespace PerfReference.OrdersService.Apis;

/// <summary>
/// The lab's diagnostics (mapped in lab mode only, see ServiceMode): a request that crosses every part of the
/// topology once — customer grain, PostgreSQL, Redis and the payment provider — so one trace in the dashboard shows
/// the whole system and its wiring; the ceiling's bare answer; what a deploy does to the caches; the full collection
/// a heap dump starts with; the payments circuit.
/// </summary>
public static class DiagnosticsApi
{
    /// <summary>A payment id the provider never issues: looking it up proves the provider answers without charging anyone.</summary>
    private const string ProbePaymentId = "pay_roundtrip_probe";

    public static RouteGroupBuilder MapDiagnosticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/diagnostics").WithTags("Diagnostics");
        api.MapGet("/roundtrip/{customerId:long}", RoundtripAsync).WithName("Roundtrip");
        api.MapGet("/bare", Bare).WithName("Bare")
            .WithSummary("A constant answer that touches no dependency, through the same pipeline as every API request: the ceiling a read is measured against");
        api.MapPost("/cold-start", ColdStartAsync).WithName("ColdStart");
        api.MapPost("/lab-feed/remove", RemoveLabFeedAsync).WithName("RemoveLabFeed")
            .WithSummary("Removes the products the load lab's import runs created (SKUs LAB-FEED-…, never ordered), so the catalog does not grow with every run");
        api.MapPost("/full-gc", FullCollection).WithName("FullCollection")
            .WithSummary("A full, blocking, compacting collection that also gives freed memory back to the system, then the live managed heap: what a heap dump measures (catalog entry memory-leak), and the floor each measured phase starts from");
        api.MapGet("/payments", PaymentsAsync).WithName("PaymentsDiagnostics")
            .WithSummary("The payments circuit breaker's state and the payments the worker still has to settle");
        api.MapGet("/admission", (IOptions<AdmissionOptions> admission, IOptions<PerfOptions> perf) => TypedResults.Ok(admission.Value.State(perf.Value.IsLab))).WithName("AdmissionState")
            .WithSummary("How admission control is set (on or off, requests in flight before a 503, its Retry-After): what a drill or an overload run met");
        return api;
    }

    /// <summary>
    /// The cheapest request the API can answer: no grain, database, cache or payment call and no work of its own, yet
    /// the same middleware as every API request (exception handler, status pages, the perf switch and its
    /// counters, compression, routing, JSON). What a real read keeps of its requests per second is measured against it
    /// (the lab's <c>ceiling</c>).
    /// </summary>
    public static Ok<BareAnswer> Bare() => TypedResults.Ok(BareAnswer.Instance);

    public static async Task<Ok<PaymentsReport>> PaymentsAsync(PaymentCircuit circuit, OrdersDbContext db, CancellationToken ct)
    {
        var outstanding = await db.Payments.CountAsync(p => p.NextAttemptAt != null, ct);
        return TypedResults.Ok(new PaymentsReport(PaymentCircuit.Name(circuit.State), circuit.StateCode, outstanding));
    }

    /// <summary>The lab's bulk-insert runs insert fresh SKUs with every import; this takes them out again, in one statement.</summary>
    public static async Task<Ok<LabFeedReport>> RemoveLabFeedAsync(OrdersDbContext db, CancellationToken ct)
    {
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
        var removed = await db.Products
            .Where(p => p.Sku.StartsWith(ProductImporter.LabFeedSkuPrefix) && !db.OrderLines.Any(l => l.ProductId == p.Id))
            .ExecuteDeleteAsync(ct);
        return TypedResults.Ok(new LabFeedReport(removed));
    }

    public static async Task<Results<Ok<RoundtripReport>, ProblemHttpResult>> RoundtripAsync(
        long customerId,
        IGrainFactory grains,
        OrdersDbContext db,
        IConnectionMultiplexer redis,
        PaymentProvider.PaymentProviderClient payments,
        CancellationToken ct)
    {
        var customer = await grains.GetGrain<ICustomerGrain>(customerId).GetProfileAsync();
        if (customer is null)
        {
            return ResourceIds.NotFound("customer", customerId);
        }

        var orderCount = await db.Orders.CountAsync(o => o.CustomerId == customerId, ct);
        var roundtrips = await redis.GetDatabase().StringIncrementAsync("diagnostics:roundtrips");

        string paymentsAnswer;
        try
        {
            await payments.GetPaymentAsync(new GetPaymentRequest { PaymentId = ProbePaymentId }, cancellationToken: ct);
            paymentsAnswer = "OK";
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            paymentsAnswer = ex.StatusCode.ToString();
        }

        return TypedResults.Ok(new RoundtripReport(customer, orderCount, roundtrips, paymentsAnswer));
    }

    /// <summary>
    /// The live heap, as a heap dump finds it: everything unreachable collected first, the large-object heap
    /// compacted too and freed memory given back to the system (an aggressive collection), then again after the
    /// finalizers ran, so that objects kept only by finalizers go too. A leak is what this figure gains over time;
    /// garbage waiting for the next full collection — which makes the heap after an ordinary collection climb in a
    /// cache that churns — is not. The lab calls it between the phases of a soak, and before each measured phase so
    /// that every phase starts from the same floor (its working set included).
    /// </summary>
    public static Ok<LiveHeapReport> FullCollection()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return TypedResults.Ok(new LiveHeapReport(GC.GetTotalMemory(forceFullCollection: false), Environment.WorkingSet));
    }

    /// <summary>
    /// What a deploy does to the caches, without restarting processes (so the lab can repeat it):
    /// the product cache is emptied and every idle grain is deactivated. With cache-warming optimized
    /// the warm-up then runs before the answer, as it runs before readiness at start.
    /// </summary>
    public static async Task<Ok<ColdStartReport>> ColdStartAsync(ProductCache cache, CacheWarmer warmer, IGrainFactory grains, IPerfSwitch perf, CancellationToken ct)
    {
        var removed = await cache.ClearAsync(ct);
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.FromMilliseconds(1));

        var warmUp = perf.IsOptimized(PerfCatalog.CacheWarming) ? await warmer.WarmAsync(ct) : null;
        return TypedResults.Ok(new ColdStartReport(removed, warmUp is not null, warmUp));
    }
}

public sealed record LabFeedReport(int RemovedProducts);

/// <summary>The bare endpoint's answer, always the same: <c>{"ok":true}</c>.</summary>
public sealed record BareAnswer(bool Ok)
{
    public static BareAnswer Instance { get; } = new(true);
}

/// <summary>The managed heap right after a full collection (only what is still reachable), and the process's working set.</summary>
public sealed record LiveHeapReport(long LiveHeapBytes, long WorkingSetBytes);

public sealed record ColdStartReport(long RemovedCacheKeys, bool Warmed, WarmUpReport? WarmUp);
/// <summary>The circuit as the <c>payments.circuit.state</c> gauge reports it, and the payments outbox's length.</summary>
public sealed record PaymentsReport(string Circuit, int CircuitState, int OutstandingPayments);

public sealed record RoundtripReport(CustomerProfile Customer, int OrderCount, long RoundtripNumber, string PaymentProviderAnswer);
