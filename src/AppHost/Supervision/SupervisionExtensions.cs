using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace PerfReference.AppHost.Supervision;

internal static class SupervisionExtensions
{
    /// <summary>Starts the resource again when it exits on its own (see <see cref="RestartSupervisor"/>).</summary>
    public static IResourceBuilder<T> WithRestartOnExit<T>(this IResourceBuilder<T> resource) where T : IResource
    {
        resource.ApplicationBuilder.Services.AddHostedService<RestartSupervisor>();
        return resource.WithAnnotation(new RestartOnExitAnnotation(), ResourceAnnotationMutationBehavior.Replace);
    }
}
