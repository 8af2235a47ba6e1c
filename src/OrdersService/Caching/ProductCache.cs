using System.Text.Json;
using System.Text.Json.Serialization;
using PerfReference.OrdersService.Products;
using PerfReference.Performance;
using StackExchange.Redis;

namespace PerfReference.OrdersService.Caching;

/// <summary>
/// Products by id, cache-aside in Redis: a lookup reads Redis first and only the misses from
/// PostgreSQL, then stores what it read. After a deploy the cache starts empty (the catalog entry
/// <c>cache-warming</c>): every first request for a product pays the database and a second Redis
/// round trip, unless <see cref="CacheWarmer"/> filled the cache before the service reported ready.
/// The Redis commands and the hits and misses are counted into the request's perf counters here,
/// because this type is the only Redis client on OrdersService's request path.
/// </summary>
public sealed class ProductCache(IConnectionMultiplexer redis, ProductCatalog catalog)
{
    /// <summary>Every key of the cache starts with this; a deploy that changes the cached shape changes it.</summary>
    public const string KeyPrefix = "orders:product:v1:";

    /// <summary>Long enough to outlive a burst, short enough that a price change shows within the hour.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(30);

    public async Task<ProductSummary?> FindAsync(long productId, CancellationToken ct) =>
        (await FindManyAsync([productId], ct)).GetValueOrDefault(productId);

    /// <summary>The products that exist among <paramref name="productIds"/>: one MGET, then one query and one write for the misses.</summary>
    public async Task<IReadOnlyDictionary<long, ProductSummary>> FindManyAsync(IReadOnlyList<long> productIds, CancellationToken ct)
    {
        var database = redis.GetDatabase();
        var cached = await Counted(database.StringGetAsync([.. productIds.Select(Key)]));

        var found = new Dictionary<long, ProductSummary>(productIds.Count);
        for (var i = 0; i < productIds.Count; i++)
        {
            if (cached[i].HasValue)
            {
                found[productIds[i]] = JsonSerializer.Deserialize((byte[])cached[i]!, ProductCacheJson.Default.ProductSummary)!;
            }
        }

        var misses = productIds.Where(id => !found.ContainsKey(id)).Distinct().ToArray();
        PerfRequest.Current?.Counters.CountCacheLookups(productIds.Count - misses.Length, misses.Length);
        if (misses.Length == 0)
        {
            return found;
        }

        var loaded = await catalog.FindAsync(misses, ct);
        await StoreAsync(loaded, ct);
        foreach (var product in loaded)
        {
            found[product.Id] = product;
        }

        return found;
    }

    /// <summary>Writes products into the cache in one round trip (a pipelined batch of SETs with expiry).</summary>
    public async Task StoreAsync(IReadOnlyCollection<ProductSummary> products, CancellationToken ct)
    {
        if (products.Count == 0)
        {
            return;
        }

        ct.ThrowIfCancellationRequested();
        var batch = redis.GetDatabase().CreateBatch();
        var writes = products
            .Select(product => batch.StringSetAsync(Key(product.Id), JsonSerializer.SerializeToUtf8Bytes(product, ProductCacheJson.Default.ProductSummary), TimeToLive))
            .ToArray();
        batch.Execute();
        await Counted(Task.WhenAll(writes));
    }

    /// <summary>Drops products whose cached copy is out of date (an import changed them), in one UNLINK.</summary>
    public async Task RemoveAsync(IReadOnlyCollection<long> productIds)
    {
        if (productIds.Count > 0)
        {
            await Counted(redis.GetDatabase().KeyDeleteAsync([.. productIds.Select(Key)]));
        }
    }

    /// <summary>Empties the cache, as a deploy with a new cache shape would: SCAN the keys, UNLINK them in batches.</summary>
    public async Task<long> ClearAsync(CancellationToken ct)
    {
        var removed = 0L;
        var database = redis.GetDatabase();
        foreach (var server in redis.GetServers().Where(s => !s.IsReplica))
        {
            var keys = new List<RedisKey>(1_000);
            await foreach (var key in server.KeysAsync(database.Database, $"{KeyPrefix}*", pageSize: 1_000).WithCancellation(ct))
            {
                keys.Add(key);
                if (keys.Count == 1_000)
                {
                    removed += await database.KeyDeleteAsync([.. keys], CommandFlags.DemandMaster);
                    keys.Clear();
                }
            }

            if (keys.Count > 0)
            {
                removed += await database.KeyDeleteAsync([.. keys], CommandFlags.DemandMaster);
            }
        }

        return removed;
    }

    private static RedisKey Key(long productId) => $"{KeyPrefix}{productId}";

    private static async Task<T> Counted<T>(Task<T> command)
    {
        PerfRequest.Current?.Counters.CountRedisOperation();
        return await command;
    }
}

/// <summary>The cached shape, serialized without reflection.</summary>
[JsonSerializable(typeof(ProductSummary))]
internal sealed partial class ProductCacheJson : JsonSerializerContext;
