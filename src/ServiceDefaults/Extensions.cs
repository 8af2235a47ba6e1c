using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using PerfReference.Performance;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Adds the services every PerfReference service shares: OpenTelemetry (exported over OTLP to the
/// Aspire dashboard), health checks, service discovery and resilient HttpClients. Shaped like the
/// Aspire ServiceDefaults template, plus the Orleans and gRPC telemetry sources this system uses.
/// </summary>
public static class Extensions
{
    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";

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
        builder.AddPerfSwitch();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
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
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Microsoft.Orleans")
                .AddMeter(PerfMetrics.MeterName))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(builder.Configuration.GetValue<bool>(OrleansRuntimeTracingKey)
                    ? [OrleansApplicationSource, OrleansRuntimeSource]
                    : [OrleansApplicationSource])
                .AddAspNetCoreInstrumentation(aspnet =>
                    // Health probes every few seconds would bury the traces users come to read.
                    aspnet.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath) &&
                        !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                // gRPC calls are named after their method (PaymentProvider/Authorize) rather than "HTTP POST".
                .AddGrpcClientInstrumentation(grpc => grpc.SuppressDownstreamInstrumentation = true)
                .AddHttpClientInstrumentation()
                .AddProcessor(new BackgroundTraceFilter(BackgroundSources)));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (every check must pass before traffic is accepted) and <c>/alive</c> (the
    /// process is live). This lab runs only on the developer's own machine, so both are mapped in
    /// every environment: the load lab and the tests probe them too.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains("live"),
        });

        return app;
    }
}
