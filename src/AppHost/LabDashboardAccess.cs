using PerfReference.Topology;

namespace PerfReference.AppHost;

/// <summary>
/// Hands the load lab the dashboard's telemetry API: the dashboard's address (its own resource's http endpoint, where it
/// serves the API beside its pages) and the API key Aspire generated for it (<c>AppHost:DashboardApiKey</c>, which the
/// AppHost passes to the dashboard as <c>Dashboard:Api:PrimaryApiKey</c>). After each run the lab reads from it the traces
/// of the requests nearest each variant's p50 and P99 and keeps them beside the result. Both are read as the lab starts,
/// once Aspire has made the dashboard; without one (disabled, as in most tests) nothing is handed and the lab keeps no traces.
/// </summary>
internal static class LabDashboardAccess
{
    public const string ApiKeySetting = "AppHost:DashboardApiKey";

    /// <summary>The name Aspire gives the dashboard's own (hidden) resource.</summary>
    public const string DashboardResource = "aspire-dashboard";

    public static IResourceBuilder<ProjectResource> WithDashboardTelemetryApi(this IResourceBuilder<ProjectResource> lab)
    {
        var (configuration, resources) = (lab.ApplicationBuilder.Configuration, lab.ApplicationBuilder.Resources);
        return lab.WithEnvironment(context =>
        {
            // Aspire adds its dashboard to the model as the application starts, before any resource's environment is made.
            var dashboard = resources.OfType<IResourceWithEndpoints>().FirstOrDefault(r => r.Name == DashboardResource)?.GetEndpoint("http");
            if (dashboard is { Exists: true } && configuration[ApiKeySetting] is { Length: > 0 } key)
            {
                context.EnvironmentVariables[LabDashboard.UrlVariable] = dashboard;
                context.EnvironmentVariables[LabDashboard.ApiKeyVariable] = key;
            }
        });
    }
}
