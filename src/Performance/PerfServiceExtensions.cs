using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using PerfReference.Topology;

namespace PerfReference.Performance;

public static class PerfServiceExtensions
{
    /// <summary>
    /// The per-request variant switch and its counters: options (checked at start), the request's
    /// <see cref="IPerfSwitch"/>, the metrics (exported with the service's telemetry) and the
    /// database round-trip counter. Pair it with <see cref="UsePerfSwitch"/>.
    /// </summary>
    public static TBuilder AddPerfSwitch<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddPerfOptions();
        builder.Services.AddScoped<RequestPerfSwitch>();
        builder.Services.AddScoped<IPerfSwitch>(services => services.GetRequiredService<RequestPerfSwitch>());
        builder.Services.AddSingleton<PerfMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(PerfMetrics.MeterName));
        builder.Services.AddProblemDetails(); // the middleware answers a bad variant choice with problem details
        builder.Services.AddHostedService<DatabaseRoundtripCounter>();
        return builder;
    }

    /// <summary>
    /// The mode (<see cref="ServiceMode"/>; the ServiceDefaults say it in the log at start) and the lab's default variant, checked at start.
    /// </summary>
    public static IServiceCollection AddPerfOptions(this IServiceCollection services)
    {
        services.AddOptions<PerfOptions>()
            .BindConfiguration(PerfOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) => options.IsLab = ServiceMode.IsLab(configuration[ServiceMode.ConfigurationKey]))
            .Validate(options => Enum.IsDefined(options.DefaultVariant), $"{PerfOptions.SectionName}:DefaultVariant must be Naive or Optimized.")
            .ValidateOnStart();
        return services;
    }

    /// <summary>Whether this process runs as the lab (<see cref="ServiceMode"/>): what maps the lab's own endpoints.</summary>
    public static bool IsLab(this IHost host) => host.Services.GetRequiredService<IOptions<PerfOptions>>().Value.IsLab;

    /// <summary>Reads each request's variant and counts what it does; place it before the endpoints.</summary>
    public static IApplicationBuilder UsePerfSwitch(this IApplicationBuilder app) => app.UseMiddleware<PerfRequestMiddleware>();
}
