using PerfReference.OrdersService.Infrastructure;

namespace PerfReference.OrdersService.Caching;

public static class CacheWarmingExtensions
{
    /// <summary>The product cache in Redis and the warm-up that fills it (at start when configured, or on demand).</summary>
    public static IHostApplicationBuilder AddProductCacheWithWarmUp(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WarmSetOptions>().BindConfiguration(WarmSetOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<ProductCache>();
        builder.Services.AddScoped<WarmSet>();
        builder.Services.AddScoped<CacheWarmer>();
        builder.Services.AddSingleton<StartupWarmUp>();
        builder.Services.AddHostedService(services => services.GetRequiredService<StartupWarmUp>());
        builder.Services.AddSingleton<IReadinessCondition>(services => services.GetRequiredService<StartupWarmUp>()); // no traffic before it is warm
        builder.Services.AddHealthChecks().AddCheck<StartupWarmUp>(StartupWarmUp.HealthCheckName);
        return builder;
    }
}
