using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;
using PerfReference.Hosting.Processes;

namespace PerfReference.Hosting.Postgres;

public static class PostgresBuilderExtensions
{
    private const string InstallHint =
        "Install PostgreSQL's server binaries (Debian: apt-get install postgresql) or set PERFREF_POSTGRES_BIN to the folder holding 'postgres' and 'initdb'.";

    /// <summary>
    /// Adds a PostgreSQL server that runs from the machine's own binaries. Its cluster is created
    /// with <c>initdb</c> on first start and reused on every later start.
    /// </summary>
    public static IResourceBuilder<PostgresServerResource> AddPostgresServer(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        var stateDirectory = StateDirectory.For(builder, name);
        var password = builder.AddParameter($"{name}-password", PersistentPassword(stateDirectory), secret: true);
        var launch = PostgresLaunchPlan.Resolve(stateDirectory, InstallHint);

        var server = new PostgresServerResource(name, launch.Command, stateDirectory, password.Resource);
        var healthCheckKey = $"{name}_check";

        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey,
            ct => SelectOneAsync(server.ConnectionStringExpression, database: "postgres", ct));

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (@event, ct) =>
        {
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            try
            {
                await launch.PrepareClusterAsync(server, logger, ct);
            }
            catch
            {
                // The server will not start, so neither will its databases: say so, so that dependants stop waiting.
                foreach (var database in builder.Resources.OfType<PostgresDatabaseResource>().Where(d => d.Parent == server))
                {
                    await ChildResourceLifecycle.MarkFailedAsync(@event.Services, database);
                }

                throw;
            }
        });

        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (@event, ct) =>
        {
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            await CreateDatabasesAsync(server, logger, ct);
        });

        return builder.AddResource(server)
            .WithEndpoint(name: PostgresServerResource.PrimaryEndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                foreach (var arg in launch.Prefix)
                {
                    context.Args.Add(arg);
                }

                context.Args.Add("-D");
                context.Args.Add(server.DataDirectory);
                context.Args.Add("-p");
                context.Args.Add(server.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                foreach (var setting in PostgresLaunchPlan.ServerSettings)
                {
                    context.Args.Add("-c");
                    context.Args.Add(setting);
                }
            })
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>A server setting (<c>-c name=value</c>), after the ones every server gets: of two of the same name, the later wins.</summary>
    public static IResourceBuilder<PostgresServerResource> WithServerSetting(this IResourceBuilder<PostgresServerResource> server, string name, string value) =>
        server.WithArgs("-c", $"{name}={value}");

    /// <summary>Adds a database that is created on the server as soon as the server is ready.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> server, [ResourceName] string name, string? databaseName = null)
    {
        var database = new PostgresDatabaseResource(name, databaseName ?? name, server.Resource);
        server.Resource.AddDatabase(name, database.DatabaseName);

        var healthCheckKey = $"{name}_check";
        server.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey,
            ct => SelectOneAsync(server.Resource.ConnectionStringExpression, database.DatabaseName, ct));
        ChildResourceLifecycle.FollowParent(server.ApplicationBuilder, server.Resource, database);

        return server.ApplicationBuilder.AddResource(database)
            .WithIconName("DatabaseStack")
            .WithHealthCheck(healthCheckKey);
    }

    private static async Task CreateDatabasesAsync(PostgresServerResource server, ILogger logger, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(await ServerConnectionStringAsync(server.ConnectionStringExpression, "postgres", ct));
        await connection.OpenAsync(ct);

        foreach (var databaseName in server.Databases.Values)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
            {
                Parameters = { new() { Value = databaseName } },
            };
            if (await exists.ExecuteScalarAsync(ct) is not null)
            {
                continue;
            }

            // Identifiers cannot be parameters; quote the name the way PostgreSQL does.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{databaseName.Replace("\"", "\"\"")}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
            logger.LogInformation("Created database {Database}", databaseName);
        }
    }

    private static async Task<HealthCheckResult> SelectOneAsync(ReferenceExpression serverConnectionString, string database, CancellationToken ct) =>
        await SelectOneAsync(() => ServerConnectionStringAsync(serverConnectionString, database, ct), ct);

    /// <summary>Healthy when a fresh connection answers SELECT 1 (a pooler's health check too).</summary>
    internal static async Task<HealthCheckResult> SelectOneAsync(Func<Task<string>> connectionString, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(await connectionString());
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy(ex.Message, ex);
        }
    }

    private static async Task<string> ServerConnectionStringAsync(ReferenceExpression serverConnectionString, string database, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(await serverConnectionString.GetValueAsync(ct))
        {
            Database = database,
            Pooling = false, // a health probe must see a restarted server, not a pooled socket to the old one
            Timeout = 3,
        };
        return builder.ConnectionString;
    }

    /// <summary>
    /// The superuser password must outlive the AppHost because the cluster does: it is generated once
    /// and kept beside the data directory, readable only by the AppHost's user.
    /// </summary>
    private static string PersistentPassword(string stateDirectory)
    {
        var file = Path.Combine(stateDirectory, "password");
        if (File.Exists(file))
        {
            return File.ReadAllText(file).Trim();
        }

        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
        File.WriteAllText(file, password);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return password;
    }
}
