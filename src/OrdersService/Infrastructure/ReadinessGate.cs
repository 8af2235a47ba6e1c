using System.Globalization;
using Microsoft.Extensions.Options;
using PerfReference.Topology;

namespace PerfReference.OrdersService.Infrastructure;

/// <summary>
/// Until the instance is ready for the first time — every <see cref="IReadinessCondition"/> met: its connection pools up
/// (<see cref="DependencyPools"/>) and its caches warm (the warm-up) — every request but a health probe is answered 503 with Retry-After at
/// once. A load balancer sends an instance nothing before its readiness probe passes; a client that reaches it anyway
/// (one instance behind a plain port, as in the lab and its drills) is told to come back instead of being taken on by a
/// process that cannot serve it yet. Once ready it stays open: from then on admission control sheds what is too much.
/// </summary>
public static class ReadinessGate
{
    public static IHostApplicationBuilder AddReadinessGate(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DependencyPools>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DependencyPools>());
        builder.Services.AddSingleton<IReadinessCondition>(services => services.GetRequiredService<DependencyPools>());
        builder.Services.AddHealthChecks().AddCheck<DependencyPools>(DependencyPools.HealthCheckName);
        return builder;
    }

    public static IApplicationBuilder UseReadinessGate(this WebApplication app)
    {
        var conditions = app.Services.GetServices<IReadinessCondition>().ToArray();
        return app.UseReadinessGate(
            () => conditions.Select(condition => condition.WaitingFor).OfType<string>().ToArray() is { Length: > 0 } waiting ? string.Join(" and ", waiting) : null,
            app.Services.GetRequiredService<IOptions<AdmissionOptions>>().Value.RetryAfterSeconds);
    }

    /// <param name="waitingFor">Why the instance is not ready yet, in words; null once it is.</param>
    public static IApplicationBuilder UseReadinessGate(this IApplicationBuilder app, Func<string?> waitingFor, int retryAfterSeconds)
    {
        var open = false;
        return app.Use(async (http, next) =>
        {
            var why = Volatile.Read(ref open) ? null : waitingFor();
            if (why is null)
            {
                Volatile.Write(ref open, true);
            }

            if (why is null || HealthEndpoints.IsProbe(http.Request.Path.Value ?? ""))
            {
                await next(http);
                return;
            }

            await ServiceUnavailable.WriteAsync(http, retryAfterSeconds, "The service is starting",
                string.Create(CultureInfo.InvariantCulture, $"It is not ready yet: {why}. Retry after {retryAfterSeconds} s."));
        });
    }
}

/// <summary>Something the instance must have before it takes its first request (<see cref="ReadinessGate"/>).</summary>
public interface IReadinessCondition
{
    /// <summary>What it is still waiting for, in words ("its connection pools are opening"); null once met.</summary>
    string? WaitingFor { get; }
}
