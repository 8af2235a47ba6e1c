using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using NSubstitute;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.CustomerGrains;
using PerfReference.Hosting.Processes;
using PerfReference.OrdersDatabase.Seeding;
using PerfReference.OrdersService.Apis;
using PerfReference.OrdersService.Caching;
using PerfReference.OrdersService.Products;
using PerfReference.Performance;
using StackExchange.Redis;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// cache-warming: what a deploy does to the caches (the product cache emptied, the grains deactivated), then the first
/// reads of the products everyone asks for. Naive, each of them misses and goes to PostgreSQL; optimized, the warm-up
/// ran before the answer — the best sellers back in Redis, the recent customers' grains called — and each is a hit that
/// costs PostgreSQL nothing. Both read the same products. Against a scratch Redis of the test's own and an orders
/// database of its own on the run's PostgreSQL: the best sellers are a ranking, and the checkouts other tests store in
/// the shared database while this one runs would reorder it between the naive and the optimized read.
/// </summary>
public sealed class CacheWarmingPairTests(OrdersDatabaseFixture database) : IAsyncLifetime
{
    private static readonly WarmSetOptions WarmSet = new() { Products = 20, Customers = 10 };

    private ScratchRedis? _redis;
    private ConnectionMultiplexer? _connection;
    private string _orders = "";

    [Fact]
    public async Task AfterAColdStartTheBestSellersMissNaiveAndHitOptimized()
    {
        var ct = TestContext.Current.CancellationToken;

        var naive = await ColdStartThenReadAsync(FixedPerfSwitch.AllNaive, ct);
        var optimized = await ColdStartThenReadAsync(FixedPerfSwitch.OnlyOptimized(PerfCatalog.CacheWarming), ct);

        Assert.Equal(WarmSet.Products, naive.Read.Counters.CacheMisses);
        Assert.Equal(1, naive.Read.Counters.DbRoundtrips); // one query for all the misses
        Assert.Equal(0, naive.CustomersCalled);

        Assert.Equal(WarmSet.Products, optimized.Read.Counters.CacheHits);
        Assert.Equal(0, optimized.Read.Counters.CacheMisses);
        Assert.Equal(0, optimized.Read.Counters.DbRoundtrips);
        Assert.Equal(WarmSet.Customers, optimized.CustomersCalled); // each recent customer's grain activated before the answer

        Assert.Equal(naive.Read.Products, optimized.Read.Products);
    }

    /// <summary>A cold start under <paramref name="perf"/>, then the first read of the warm set's products, counted as one request.</summary>
    private async Task<(((long Id, string Sku)[] Products, PerfCounters Counters) Read, int CustomersCalled)> ColdStartThenReadAsync(IPerfSwitch perf, CancellationToken ct)
    {
        await using var db = OrdersDatabaseFixture.NewContext(_orders);
        var catalog = new ProductCatalog(db);
        var cache = new ProductCache(_connection!, catalog);
        var warmSet = new OrdersService.Caching.WarmSet(db);
        var grains = Substitute.For<IGrainFactory>();
        var warmer = new CacheWarmer(warmSet, catalog, cache, grains, Options.Create(WarmSet), NullLogger<CacheWarmer>.Instance);
        var bestSellers = await warmSet.BestSellingProductsAsync(WarmSet.Products, ct);
        Assert.Equal(WarmSet.Products, bestSellers.Count); // the tiny data set has enough orders to rank them

        await DiagnosticsApi.ColdStartAsync(cache, warmer, grains, perf, ct);
        var (found, counters) = await Measured.RunAsync(() => cache.FindManyAsync(bestSellers, ct));

        var customersCalled = grains.ReceivedCalls().Count(call => call.GetMethodInfo().Name == nameof(IGrainFactory.GetGrain)
            && call.GetMethodInfo().GetGenericArguments() is [var grain] && grain == typeof(ICustomerGrain));
        return (([.. found.Values.OrderBy(p => p.Id).Select(p => (p.Id, p.Sku))], counters), customersCalled);
    }

    public async ValueTask InitializeAsync()
    {
        _orders = await database.CreateMigratedDatabaseAsync("orders_cache_warming", TestContext.Current.CancellationToken);
        await using (var orders = NpgsqlDataSource.Create(_orders))
        {
            await new OrdersSeeder(orders, TimeProvider.System).SeedAsync(SeedSize.Tiny, progress: null, TestContext.Current.CancellationToken);
        }

        _redis = await ScratchRedis.StartAsync(appendfsync: null, TestContext.Current.CancellationToken);
        _connection = await ConnectionMultiplexer.ConnectAsync($"{_redis.ConnectionString},allowAdmin=true");
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
