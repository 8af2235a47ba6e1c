using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PerfReference.Topology;

namespace PerfReference.AppHost.Record;

/// <summary>
/// Publishes each measured entry's headline, by its own proving metric, as properties of the loadlab resource ("headline:
/// n-plus-one-db" = "P99 1,747–3,969 ms → 83–145 ms, 22.5× better (seed, 4 requests/s, …)"): once the lab is healthy, and again
/// whenever a result file is written. The lab computes them from its result files (<see cref="LabApi.Headlines"/>),
/// so the AppHost needs nothing of the lab but its address. Aspire keeps a resource's custom properties when it
/// updates the rest of its state, so a restart of the lab keeps them too.
/// </summary>
internal sealed class RecordProperties(
    ProjectResource lab,
    string resultsDirectory,
    ResourceNotificationService notifications,
    ILogger<RecordProperties> logger) : BackgroundService
{
    public const string Prefix = "headline: ";

    /// <summary>A run writes its file in one go; a short pause lets a burst of writes count as one change.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var instance = await FirstInstanceAsync(stoppingToken);
            Directory.CreateDirectory(resultsDirectory);
            using var watcher = new FileSystemWatcher(resultsDirectory, "*.json") { IncludeSubdirectories = true, EnableRaisingEvents = true };
            var changed = new SemaphoreSlim(0);
            watcher.Created += (_, _) => changed.Release();
            watcher.Changed += (_, _) => changed.Release();

            await notifications.WaitForResourceHealthyAsync(lab.Name, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await PublishAsync(instance, stoppingToken);
                await changed.WaitAsync(stoppingToken);
                await Task.Delay(Settle, stoppingToken);
                while (changed.CurrentCount > 0)
                {
                    await changed.WaitAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The id of the lab's instance (the resource's name with the suffix Aspire gives each instance).</summary>
    private async Task<string> FirstInstanceAsync(CancellationToken ct)
    {
        await foreach (var change in notifications.WatchAsync(ct))
        {
            if (change.Resource == lab)
            {
                return change.ResourceId;
            }
        }

        throw new OperationCanceledException(ct);
    }

    private async Task PublishAsync(string instance, CancellationToken ct)
    {
        IReadOnlyList<RecordHeadline> headlines;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(lab.GetEndpoint("http").Url), Timeout = TimeSpan.FromSeconds(30) };
            headlines = await http.GetFromJsonAsync<IReadOnlyList<RecordHeadline>>(LabApi.Headlines, ct) ?? [];
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("The record is not shown in the dashboard: {Problem}", ex.Message);
            return;
        }

        await notifications.PublishUpdateAsync(lab, instance, snapshot => snapshot with
        {
            Properties = [
                .. snapshot.Properties.Where(p => !p.Name.StartsWith(Prefix, StringComparison.Ordinal)),
                .. headlines.Select(h => new ResourcePropertySnapshot(Prefix + h.Scenario, $"{h.Figure} ({h.Conditions})")),
            ],
        });
    }
}
