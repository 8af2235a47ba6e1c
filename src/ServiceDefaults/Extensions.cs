using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using PerfReference.Topology;

namespace Microsoft.Extensions.Hosting;

// Adds common Aspire services: service discovery, resilience, health checks, and OpenTelemetry — the
// Aspire ServiceDefaults template, plus the telemetry sources this system has (Orleans, gRPC) and a
// filter that keeps background machinery off the dashboard's Traces page.
public static class Extensions
{
    /// <summary>Grain calls made by the application (interfaces outside the Orleans namespace).</summary>
    private const string OrleansApplicationSource = "Microsoft.Orleans.Application";

    /// <summary>
    /// Orleans' own calls (membership, directory, timers, load statistics): several traces a second
    /// per silo, which bury requests in the dashboard. Off unless <see cref="OrleansRuntimeTracingKey"/> is true.
    /// </summary>
    private const string OrleansRuntimeSource = "Microsoft.Orleans.Runtime";

    public const string OrleansRuntimeTracingKey = "PerfReference:Telemetry:OrleansRuntimeTracing";

    /// <summary>Sources whose traces, when they start on their own rather than inside a request, are background noise.</summary>
    private static readonly string[] BackgroundSources = ["Npgsql", "OpenTelemetry.Instrumentation.StackExchangeRedis"];

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();

        builder.AddDefaultHealthChecks();

        builder.Services.AddHostedService<ServiceModeLog>(); // lab or production, said at start

        builder.Services.AddServiceDiscovery();

        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Turn on resilience by default
            http.AddStandardResilienceHandler();

            // Turn on service discovery by default
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter("Microsoft.Orleans");
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(builder.Environment.ApplicationName)
                    .AddSource(builder.Configuration.GetValue<bool>(OrleansRuntimeTracingKey)
                        ? [OrleansApplicationSource, OrleansRuntimeSource]
                        : [OrleansApplicationSource])
                    .AddAspNetCoreInstrumentation(aspnet =>
                        // Exclude health check requests from tracing
                        aspnet.Filter = context => !HealthEndpoints.IsProbe(context.Request.Path.Value ?? ""))
                    // gRPC calls are named after their method (PaymentProvider/Authorize) rather than "HTTP POST".
                    .AddGrpcClientInstrumentation(grpc => grpc.SuppressDownstreamInstrumentation = true)
                    .AddHttpClientInstrumentation()
                    .AddProcessor(new BackgroundTraceFilter(BackgroundSources));
            });

        builder.AddOpenTelemetryExporters();

        return builder;
    }

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var useOtlpExporter = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

        if (useOtlpExporter)
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            // Add a default liveness check to ensure app is responsive
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        return builder;
    }

    /// <summary>
    /// Maps <see cref="HealthEndpoints.Health"/> (every check must pass before traffic is accepted)
    /// and <see cref="HealthEndpoints.Alive"/> (the process is live). Unlike the template, in every
    /// environment: this lab runs on the developer's own machine, and the load lab and the tests
    /// probe them too.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // The probes' own spans are filtered out above, but the checks they run (a PING to Redis, a
        // SELECT 1) would still be recorded as children of a span that is never exported, and show
        // up in the dashboard as traces of their own every few seconds. Detached from the request's
        // trace, they start traces of their own, which BackgroundTraceFilter drops.
        app.UseWhen(context => HealthEndpoints.IsProbe(context.Request.Path.Value ?? ""), probe => probe.Use(next => context =>
        {
            Activity.Current = null;
            return next(context);
        }));

        // All health checks must pass for app to be considered ready to accept traffic after starting.
        // Degraded — a check that is on its way (a warm-up), logged as a warning rather than an
        // error — is not ready either.
        app.MapHealthChecks(HealthEndpoints.Health, new HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });

        // Only health checks tagged with the "live" tag must pass for app to be considered alive
        app.MapHealthChecks(HealthEndpoints.Alive, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live")
        });

        return app;
    }
}
