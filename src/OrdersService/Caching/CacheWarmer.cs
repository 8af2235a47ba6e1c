using System.Diagnostics;
using Microsoft.Extensions.Options;
using PerfReference.CustomerGrains;
using PerfReference.OrdersService.Infrastructure;
using PerfReference.OrdersService.Products;

namespace PerfReference.OrdersService.Caching;

public sealed record WarmUpReport(int Products, int Customers, double ElapsedMs);

/// <summary>
/// Fills what the first requests after a deploy will need: the warm set's products into Redis (one
/// query, one pipelined write) and the warm set's customer grains activated with their state loaded
/// (calls fanned out, a bounded number in flight so the silos are not flooded).
/// </summary>
public sealed class CacheWarmer(WarmSet warmSet, ProductCatalog catalog, ProductCache cache, IGrainFactory grains, IOptions<WarmSetOptions> options, ILogger<CacheWarmer> logger)
{
    private const int GrainCallsInFlight = 32;

    public async Task<WarmUpReport> WarmAsync(CancellationToken ct)
    {
        using var activity = OrdersTracing.Source.StartActivity("Warm up caches");
        var started = Stopwatch.GetTimestamp();

        var productIds = await warmSet.BestSellingProductsAsync(options.Value.Products, ct);
        var products = await catalog.FindAsync(productIds, ct);
        await cache.StoreAsync(products, ct);

        var customerIds = await warmSet.RecentCustomersAsync(options.Value.Customers, ct);
        await Parallel.ForEachAsync(customerIds, new ParallelOptions { MaxDegreeOfParallelism = GrainCallsInFlight, CancellationToken = ct },
            async (customerId, _) => await grains.GetGrain<ICustomerGrain>(customerId).GetProfileAsync());

        var report = new WarmUpReport(products.Count, customerIds.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        activity?.SetTag("warmup.products", report.Products);
        activity?.SetTag("warmup.customers", report.Customers);
        logger.LogInformation("Warmed {Products} products into Redis and {Customers} customer grains in {ElapsedMs:F0} ms",
            report.Products, report.Customers, report.ElapsedMs);
        return report;
    }
}
