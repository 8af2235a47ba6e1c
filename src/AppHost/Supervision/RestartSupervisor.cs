using System.Collections.Concurrent;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PerfReference.AppHost.Supervision;

/// <summary>
/// Starts again what dies, as a cluster's scheduler would (Aspire has no restart policy for projects
/// and executables: dotnet/aspire#5003). It watches every instance of a resource marked with
/// <see cref="RestartOnExitAnnotation"/>; when one goes from running to a stopped state without an
/// operator asking — killed, crashed, or a server that shut itself down — it issues the resource's
/// Start command, after a pause that doubles with each restart in a row (1 s up to 30 s), as
/// Kubernetes backs off a crash loop. An instance stopped from the dashboard or the CLI passes
/// through Stopping first, and stays stopped; nothing is restarted while the AppHost shuts down.
/// </summary>
internal sealed class RestartSupervisor(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    IHostApplicationLifetime lifetime,
    ILogger<RestartSupervisor> logger) : BackgroundService
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>An instance that stayed up this long has recovered: its next exit starts the backoff afresh.</summary>
    private static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, InstanceHistory> _instances = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken))
            {
                if (change.Resource.Annotations.OfType<RestartOnExitAnnotation>().Any())
                {
                    Observe(change.ResourceId, change.Snapshot, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Observe(string instanceId, CustomResourceSnapshot snapshot, CancellationToken stoppingToken)
    {
        var state = snapshot.State?.Text;
        var history = _instances.GetOrAdd(instanceId, _ => new InstanceHistory());
        var previous = history.State;
        history.State = state;
        if (state == KnownResourceStates.Running && previous != KnownResourceStates.Running)
        {
            history.RunningSince = DateTime.UtcNow;
        }

        if (!DiedOnItsOwn(previous, state) || lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return;
        }

        var upFor = DateTime.UtcNow - history.RunningSince;
        history.Backoff = upFor > StableAfter || history.Backoff == TimeSpan.Zero ? FirstBackoff : Min(history.Backoff * 2, MaxBackoff);
        logger.LogWarning("{Instance} exited on its own ({State}, exit code {ExitCode}) after {UpFor:0} s up; starting it again in {Backoff:0} s",
            instanceId, state, snapshot.ExitCode?.ToString() ?? "none", upFor.TotalSeconds, history.Backoff.TotalSeconds);
        _ = RestartAsync(instanceId, history.Backoff, stoppingToken);
    }

    /// <summary>Straight from Running to a stopped state: an operator's stop passes through Stopping first.</summary>
    private static bool DiedOnItsOwn(string? previous, string? current) =>
        previous == KnownResourceStates.Running && current is not null && KnownResourceStates.TerminalStates.Contains(current);

    private async Task RestartAsync(string instanceId, TimeSpan backoff, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(backoff, stoppingToken);
            var result = await commands.ExecuteCommandAsync(instanceId, KnownResourceCommands.StartCommand, stoppingToken);
            if (!result.Success)
            {
                logger.LogError("Starting {Instance} again failed: {Message}", instanceId, result.Message);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private sealed class InstanceHistory
    {
        public string? State { get; set; }

        public DateTime RunningSince { get; set; } = DateTime.UtcNow;

        public TimeSpan Backoff { get; set; }
    }
}
