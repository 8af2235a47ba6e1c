using PerfReference.Topology;

namespace PerfReference.AppHost;

/// <summary>
/// Whether the services run as the lab or as a deployment (the AppHost parameter <c>service-mode</c>, told to each
/// service as <see cref="ServiceMode.EnvironmentVariable"/>; see <see cref="ServiceMode"/>). The AppHost's run is the
/// lab by default — the variant switch, the naive default and the diagnostics endpoints the load lab and the tests
/// need; <c>production</c> runs the topology as a cluster would. Publishing (the manifest a cluster follows) is
/// production by default.
/// </summary>
internal static class ServiceModes
{
    public const string ParameterName = "service-mode";
    public const string Lab = "lab";
    public const string Production = "production";

    /// <summary>Tells every service that reads the mode (the ones with the variant switch) which one runs.</summary>
    public static void ApplyServiceMode(this IDistributedApplicationBuilder builder, params IResourceBuilder<ProjectResource>[] services)
    {
        var chosen = builder.AddChosenParameter(ParameterName, builder.ExecutionContext.IsPublishMode ? Production : Lab, choice => choice is Lab or Production
            ? choice
            : throw new InvalidOperationException($"The {ParameterName} parameter is '{choice}'; use {Lab} or {Production}."));
        foreach (var service in services)
        {
            service.WithEnvironment(ServiceMode.EnvironmentVariable, chosen == Lab ? ServiceMode.Lab : ServiceMode.Production);
        }
    }
}
