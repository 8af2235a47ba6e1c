using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersService.Database;
using StackExchange.Redis;

namespace PerfReference.OrdersService.Infrastructure;

/// <summary>
/// Brings the service's connection pools up before it reports ready: the pooled data source and EF Core's pool each
/// open their minimum of connections to PostgreSQL (<see cref="ConnectionPoolOptions.MinPoolSize"/>), and the Redis
/// multiplexer connects. A restarted instance that took traffic first opened all of them under its first burst — every
/// request its own PostgreSQL open and SCRAM handshake, the Redis connect on a starved thread pool timing out — while
/// every client retried at once. Until the pools are up the health check is Degraded (readiness answers 503) and the
/// readiness gate refuses requests; a failure is retried, since a dependency may still be starting.
/// </summary>
public sealed class DependencyPools(IServiceProvider services, ILogger<DependencyPools> logger) : BackgroundService, IHealthCheck, IReadinessCondition
{
    public const string HealthCheckName = "pools";

    private readonly TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsUp => _up.Task.IsCompleted;

    public string? WaitingFor => IsUp ? null : "its connection pools are opening";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await OpenAsync(stoppingToken);
                _up.TrySetResult();
                logger.LogInformation("Connection pools up: PostgreSQL and Redis");
                return;
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(error, "Opening the connection pools failed; retrying in 1 s");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private async Task OpenAsync(CancellationToken ct)
    {
        // Resolving the multiplexer connects it (synchronously, in the client integration's factory): not on the caller's thread.
        var redis = await Task.Run(services.GetRequiredService<IConnectionMultiplexer>, ct);
        await redis.GetDatabase().PingAsync();

        var pool = ConnectionPoolOptions.From(services.GetRequiredService<IConfiguration>());
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, pool.MinPoolSize)).Select(async _ =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
        }));
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, pool.MinPoolSize)).Select(async _ =>
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.CloseConnectionAsync();
        }));
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(IsUp
            ? HealthCheckResult.Healthy("Connection pools up")
            : HealthCheckResult.Degraded("Opening the connection pools: not ready for traffic yet")); // on its way, not failing
}
