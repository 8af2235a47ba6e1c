using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using PerfReference.OrdersService.Infrastructure;

namespace PerfReference.OrdersService.Caching;

/// <summary>
/// The optimized variant of <c>cache-warming</c> at start: warms the caches in the background and
/// holds the health check at Degraded (readiness answers 503) until it is done, so the orchestrator (Aspire's WaitFor, a
/// load balancer's readiness probe) sends no traffic to a cold instance. Off, the service is ready
/// as soon as it listens and the first users pay for the cold caches.
/// </summary>
public sealed class StartupWarmUp(IServiceScopeFactory scopes, IOptions<WarmSetOptions> options, ILogger<StartupWarmUp> logger)
    : BackgroundService, IHealthCheck, IReadinessCondition
{
    public const string HealthCheckName = "warm-up";

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Warmed (or warm-up off): the instance may take traffic as far as its caches go.</summary>
    public bool IsDone => _done.Task.IsCompleted;

    public string? WaitingFor => IsDone ? null : "its caches are warming";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WarmUpOnStart)
        {
            _done.TrySetResult();
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<CacheWarmer>().WarmAsync(stoppingToken);
                _done.TrySetResult();
                return;
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                // A silo or the database may still be starting: try again rather than serve cold forever.
                logger.LogWarning(error, "Warm-up failed; retrying in 2 s");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(IsDone
            ? HealthCheckResult.Healthy(options.Value.WarmUpOnStart ? "Caches warmed" : "Warm-up off (cache-warming naive)")
            : HealthCheckResult.Degraded("Warming up the caches: not ready for traffic yet")); // on its way, not failing
}
