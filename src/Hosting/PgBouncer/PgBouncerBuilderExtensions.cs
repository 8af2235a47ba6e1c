using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;
using PerfReference.Hosting.Postgres;
using PerfReference.Hosting.Processes;

namespace PerfReference.Hosting.PgBouncer;

public static class PgBouncerBuilderExtensions
{
    private const string InstallHint = "Install it with: apt-get install pgbouncer (scripts/prerequisites.sh does), or set PERFREF_PGBOUNCER_BIN to the folder holding it.";

    /// <summary>
    /// Adds PgBouncer in transaction pooling mode in front of <paramref name="database"/>: many client connections,
    /// a few server connections. It starts once the database is ready; its configuration is written just before.
    /// </summary>
    public static IResourceBuilder<PgBouncerResource> AddPgBouncer(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, IResourceBuilder<PostgresDatabaseResource> database, int poolSize = 20)
    {
        var binary = BinaryLocation.PgBouncer().Find("pgbouncer");
        var stateDirectory = StateDirectory.For(builder, name);
        // PgBouncer refuses to run as root: as the database's own service account, like PostgreSQL.
        ServiceAccount? account;
        string? problem = binary is null ? $"'pgbouncer' was not found on this machine. {InstallHint}" : null;
        try
        {
            account = ServiceAccount.ForServers();
        }
        catch (InvalidOperationException error)
        {
            (account, problem) = (null, problem ?? error.Message);
        }

        var iniPath = Path.Combine(stateDirectory, "pgbouncer.ini");
        var (command, args) = account is null || binary is null ? (binary ?? "pgbouncer", (IReadOnlyList<string>)[iniPath]) : account.Wrap(binary, [iniPath]);
        var pooler = new PgBouncerResource(name, command, stateDirectory, database.Resource, ScratchDirectory.FreePort());
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, ct => SelectOneAsync(pooler, ct));

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(pooler, async (@event, ct) =>
        {
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(pooler);
            if (problem is not null)
            {
                logger.LogError("{Problem}", problem);
                throw new MissingServerBinaryException(problem);
            }

            var server = database.Resource.Parent;
            var config = new PgBouncerConfig(
                pooler.Port, database.Resource.DatabaseName, "127.0.0.1",
                int.Parse((await server.PrimaryEndpoint.Property(EndpointProperty.Port).GetValueAsync(ct))!, System.Globalization.CultureInfo.InvariantCulture),
                database.Resource.DatabaseName, PostgresServerResource.UserName, (await server.PasswordParameter.GetValueAsync(ct))!)
            {
                PoolSize = poolSize,
            };
            config.WriteTo(stateDirectory, account);
            logger.LogInformation("PgBouncer on port {Port}: transaction pooling, {PoolSize} server connections for {Database}", pooler.Port, poolSize, config.Database);
        });

        return builder.AddResource(pooler)
            .WithArgs([.. args])
            .WithEndpoint(name: PgBouncerResource.PrimaryEndpointName, scheme: "tcp", port: pooler.Port, targetPort: pooler.Port, isProxied: false)
            .WaitFor(database)
            .WithIconName("ArrowSplit")
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>A connection of its own through the pooler (not from a pool: a restarted PgBouncer must be seen) answers SELECT 1.</summary>
    private static Task<HealthCheckResult> SelectOneAsync(PgBouncerResource pooler, CancellationToken ct) =>
        PostgresBuilderExtensions.SelectOneAsync(async () =>
            new NpgsqlConnectionStringBuilder(await pooler.ConnectionStringExpression.GetValueAsync(ct)) { Pooling = false, Timeout = 3 }.ConnectionString, ct);
}
