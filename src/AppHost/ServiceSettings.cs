using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace PerfReference.AppHost;

internal static class ServiceSettings
{
    public const string SectionName = "ServiceSettings";

    /// <summary>
    /// Passes the settings the AppHost was given under <c>ServiceSettings:&lt;resource&gt;</c> to the
    /// project as its own configuration (environment variables): how a test or a drill shortens a
    /// service's timings — the payment reconciler's grace, say — without a build of its own:
    /// <c>ServiceSettings:orders:Payments:Reconciliation:Grace=00:00:05</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSettingsFromAppHost(this IResourceBuilder<ProjectResource> project)
    {
        var section = project.ApplicationBuilder.Configuration.GetSection($"{SectionName}:{project.Resource.Name}");
        foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true))
        {
            if (value is not null)
            {
                project.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
            }
        }

        return project;
    }
}
