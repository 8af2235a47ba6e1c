using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace PerfReference.Hosting;

/// <summary>
/// Aspire mirrors a container's state onto its child resources (a database on a server) but not an
/// executable's. This does it for executable-backed servers: the child is Starting while its server
/// starts, Running once the server is ready (so its own health check then decides when dependants
/// may start), and stopped or failed with it, so that nothing waits for it forever.
/// </summary>
internal static class ChildResourceLifecycle
{
    public static void FollowParent<TParent, TChild>(IDistributedApplicationBuilder builder, TParent parent, TChild child)
        where TParent : IResource
        where TChild : IResource
    {
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(parent, (@event, _) =>
            Publish(@event.Services, child, KnownResourceStates.Starting));

        builder.Eventing.Subscribe<ResourceReadyEvent>(parent, (@event, _) =>
            Publish(@event.Services, child, KnownResourceStates.Running));

        builder.Eventing.Subscribe<ResourceStoppedEvent>(parent, (@event, _) =>
            Publish(@event.Services, child, @event.ResourceEvent.Snapshot.State?.Text ?? KnownResourceStates.Exited));
    }

    public static Task MarkFailedAsync(IServiceProvider services, IResource child) =>
        Publish(services, child, KnownResourceStates.FailedToStart);

    private static Task Publish(IServiceProvider services, IResource child, string state) =>
        services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(child, snapshot => snapshot with
        {
            State = state,
            StartTimeStamp = state == KnownResourceStates.Running ? DateTime.UtcNow : snapshot.StartTimeStamp,
            StopTimeStamp = KnownResourceStates.TerminalStates.Contains(state) ? DateTime.UtcNow : null,
        });
}
