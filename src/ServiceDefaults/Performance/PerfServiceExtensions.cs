using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PerfReference.Performance;

public static class PerfServiceExtensions
{
    /// <summary>The per-request variant switch and counters: options, metrics, the database round-trip counter.</summary>
    public static TBuilder AddPerfSwitch<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.Configure<PerfOptions>(builder.Configuration.GetSection(PerfOptions.SectionName));
        builder.Services.AddSingleton<PerfMetrics>();
        builder.Services.AddProblemDetails(); // the middleware answers a bad variant choice with problem details
        builder.Services.AddHostedService<DatabaseRoundtripCounter>();
        return builder;
    }

    /// <summary>Reads each request's variant and counts what it does; place it before the endpoints.</summary>
    public static IApplicationBuilder UsePerfSwitch(this IApplicationBuilder app) => app.UseMiddleware<PerfRequestMiddleware>();
}
