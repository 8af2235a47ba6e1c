using PerfReference.Hosting.Redis;

namespace PerfReference.AppHost;

/// <summary>
/// How the Redis server keeps what the system keeps in it — Orleans' membership table, the customer
/// grains' state, the payment provider's payments and idempotency records — through a restart:
/// the <c>redis-persistence</c> parameter. The default keeps everything (an append-only file,
/// flushed to disk every second); <c>none</c> is what the system did before, kept only to measure
/// what durability costs (docs/reliability.md).
/// </summary>
internal static class RedisDurability
{
    public const string ParameterName = "redis-persistence";

    private static readonly Dictionary<string, RedisFsync?> Choices = new(StringComparer.Ordinal)
    {
        ["aof-everysec"] = RedisFsync.EverySecond,
        ["aof-always"] = RedisFsync.Always,
        ["none"] = null,
    };

    public static IResourceBuilder<RedisServerResource> WithChosenDurability(this IResourceBuilder<RedisServerResource> redis) =>
        Choose(redis.ApplicationBuilder) is { } mode ? redis.WithPersistence(mode) : redis;

    /// <summary>The parameter's choice: when the append-only file is forced to disk, or null for no persistence.</summary>
    public static RedisFsync? Choose(IDistributedApplicationBuilder builder)
    {
        var chosen = builder.AddChosenParameter(ParameterName, "aof-everysec", chosen => Choices.ContainsKey(chosen)
            ? chosen
            : throw new InvalidOperationException($"The {ParameterName} parameter is '{chosen}'; use one of: {string.Join(", ", Choices.Keys)}."));
        return Choices[chosen];
    }
}
