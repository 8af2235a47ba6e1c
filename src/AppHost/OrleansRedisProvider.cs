using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Orleans;
using PerfReference.Hosting.Redis;

namespace PerfReference.AppHost;

/// <summary>
/// An Orleans provider (clustering, grain storage) backed by Redis: a <see cref="RedisServerResource"/> in run
/// mode, Aspire's Redis container when publishing (see DataStores). Aspire.Hosting.Orleans derives the provider
/// type from a resource's type name, which for the executable-backed resource would be "RedisServer"; the Orleans
/// Redis providers register as "Redis".
/// </summary>
internal sealed class OrleansRedisProvider(IResourceBuilder<IResourceWithConnectionString> redis) : IProviderConfiguration
{
    /// <summary>The name the Orleans Redis providers register under (Microsoft.Orleans.Clustering.Redis, .Persistence.Redis).</summary>
    public const string ProviderType = "Redis";

    public void ConfigureResource<T>(IResourceBuilder<T> resourceBuilder, string configSectionPath) where T : IResourceWithEnvironment
    {
        var prefix = $"Orleans__{configSectionPath.Replace(":", "__")}";
        resourceBuilder
            .WithEnvironment($"{prefix}__ProviderType", ProviderType)
            .WithEnvironment($"{prefix}__ServiceKey", redis.Resource.Name)
            .WithReference(redis);
    }
}
