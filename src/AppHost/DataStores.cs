using PerfReference.Hosting.Postgres;
using PerfReference.AppHost.Supervision;
using PerfReference.Hosting.Redis;

namespace PerfReference.AppHost;

/// <summary>
/// The orders database and Redis under the names every service knows them by (<c>ConnectionStrings__ordersdb</c>,
/// <c>ConnectionStrings__cache</c>), whichever way the AppHost runs. Run mode starts this machine's own server
/// binaries (src/Hosting: these machines have no container engine). Publish mode
/// (<c>dotnet run --project src/AppHost -- --publisher manifest --output-path …</c>) describes what a cluster runs
/// instead: Aspire's own PostgreSQL and Redis container resources, with the same resource names, so every project is
/// given the same environment in both modes (deploy/kubernetes follows that manifest).
/// </summary>
/// <param name="OrdersDb">The orders database (<c>ordersdb</c>).</param>
/// <param name="Cache">Redis (<c>cache</c>): the cache, Orleans' membership and grain state, the payment provider's records.</param>
/// <param name="LocalServers">The executable-backed servers in run mode (the network links need their endpoints); null when publishing.</param>
internal sealed record DataStores(
    IResourceBuilder<IResourceWithConnectionString> OrdersDb,
    IResourceBuilder<IResourceWithConnectionString> Cache,
    LocalServers? LocalServers)
{
    public const string PostgresName = "postgres";
    public const string OrdersDbName = "ordersdb";
    public const string CacheName = "cache";
}

/// <summary>The PostgreSQL and Redis servers started from this machine's binaries (run mode), and the orders database on the former.</summary>
internal sealed record LocalServers(
    IResourceBuilder<PostgresServerResource> Postgres, IResourceBuilder<RedisServerResource> Redis, IResourceBuilder<PostgresDatabaseResource> OrdersDb);

internal static class DataStoresExtensions
{
    public static DataStores AddDataStores(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder.AddClusterDataStores();
        }

        // Started again when they die on their own (Supervision/); in a cluster the kubelet restarts a pod.
        var postgres = builder.AddPostgresServer(DataStores.PostgresName).SizedForThisMachine().WithRestartOnExit();
        var redis = builder.AddRedisServer(DataStores.CacheName).WithChosenDurability().WithRestartOnExit();
        var ordersDb = postgres.AddDatabase(DataStores.OrdersDbName);
        return new(ordersDb, redis, new LocalServers(postgres, redis, ordersDb));
    }

    /// <summary>
    /// Aspire's container resources, each with a data volume. Redis keeps an append-only file as the local server
    /// does (the <c>redis-persistence</c> parameter), not Aspire's default of periodic snapshots: Orleans' membership,
    /// the grains' state and the payment provider's records must survive a restart of the pod.
    /// </summary>
    private static DataStores AddClusterDataStores(this IDistributedApplicationBuilder builder)
    {
        var ordersDb = builder.AddPostgres(DataStores.PostgresName)
            .WithDataVolume()
            .AddDatabase(DataStores.OrdersDbName);

        var cache = builder.AddRedis(DataStores.CacheName).WithDataVolume();
        if (RedisDurability.Choose(builder) is { } fsync)
        {
            cache.WithArgs(context => AppendToRedisCommandLine(context.Args, $"--appendonly yes --appendfsync {(fsync == RedisFsync.Always ? "always" : "everysec")}"));
        }

        return new(ordersDb, cache, LocalServers: null);
    }

    /// <summary>
    /// Aspire starts its Redis container as <c>/bin/sh -c "redis-server --requirepass $REDIS_PASSWORD …"</c> (so that the
    /// password stays out of the arguments): options must go into that one command line, not after it.
    /// </summary>
    private static void AppendToRedisCommandLine(IList<object> args, string options)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is string command && command.StartsWith("redis-server ", StringComparison.Ordinal))
            {
                args[i] = $"{command} {options}";
                return;
            }
        }

        throw new InvalidOperationException($"Aspire's Redis container no longer starts with a 'redis-server' command line; '{options}' has nowhere to go.");
    }

    /// <summary>
    /// Aspire 13 tells a project that references one of its container databases the connection's parts too
    /// (<c>ORDERSDB_HOST</c>, <c>_PASSWORD</c>, <c>_URI</c>, <c>CACHE_PASSWORD</c>, …) beside <c>ConnectionStrings__&lt;name&gt;</c>.
    /// No service here reads them, the servers of run mode have none, and each would be one more copy of a password
    /// in a cluster: every project is told the connection strings only, in both modes. Call it after the last project.
    /// </summary>
    public static void ReferenceDataStoresByConnectionStringOnly(this IDistributedApplicationBuilder builder)
    {
        var parts = builder.Resources.OfType<IResourceWithConnectionString>()
            .Where(store => store.Name is DataStores.OrdersDbName or DataStores.CacheName)
            .SelectMany(store => store.GetConnectionProperties().Select(property => $"{store.Name.ToUpperInvariant()}_{property.Key.ToUpperInvariant()}"))
            .ToHashSet(StringComparer.Ordinal);
        if (parts.Count == 0)
        {
            return;
        }

        foreach (var project in builder.Resources.OfType<ProjectResource>().ToArray())
        {
            builder.CreateResourceBuilder(project).WithEnvironment(context =>
            {
                foreach (var name in parts)
                {
                    context.EnvironmentVariables.Remove(name);
                }
            });
        }
    }
}
