using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace PerfReference.TestSupport;

/// <summary>
/// One run of the real AppHost (through Aspire.Hosting.Testing) with its own state directory, so a
/// test run never touches the developer's own database. Keeps the latest snapshot of every resource
/// so that a failure can say which resource was in which state.
/// </summary>
public sealed class AppHostRun : IAsyncDisposable
{
    /// <summary>Resources that must reach Running and Healthy for the topology to be up.</summary>
    public static readonly string[] HealthyResources = ["postgres", "ordersdb", "cache", "silo", "payments", "orders"];

    private readonly ConcurrentDictionary<string, ResourceEvent> _snapshots = new();
    private readonly CancellationTokenSource _watching = new();

    private AppHostRun(DistributedApplication app, string stateDirectory)
    {
        App = app;
        StateDirectory = stateDirectory;
    }

    public DistributedApplication App { get; }

    public string StateDirectory { get; }

    /// <summary>The latest snapshot of every instance of a resource (replicas are instances of one resource).</summary>
    public IReadOnlyList<CustomResourceSnapshot> Instances(string resourceName) => _snapshots.Values
        .Where(e => e.Resource.Name == resourceName)
        .Select(e => e.Snapshot)
        .ToArray();

    public static Task<AppHostRun> StartAsync(string stateDirectory, CancellationToken ct, params string[] configuration) =>
        StartAsync(stateDirectory, (_, _) => { }, ct, configuration);

    /// <param name="configureOptions">Options that must be set before the AppHost's builder exists (the browser tests turn the dashboard on here).</param>
    public static async Task<AppHostRun> StartAsync(string stateDirectory, Action<DistributedApplicationOptions, HostApplicationBuilderSettings> configureOptions,
        CancellationToken ct, params string[] configuration)
    {
        // Warnings and errors only (resources' stderr included): the AppHost's appsettings log every
        // resource's stdout and every HTTP call at Information, which buries a failing test's message.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"PerfReference:StateDirectory={stateDirectory}", "Logging:LogLevel:Default=Warning", .. configuration], configureOptions, ct);

        var app = await builder.BuildAsync(ct);
        var run = new AppHostRun(app, stateDirectory);
        run.WatchResources();
        await app.StartAsync(ct);
        return run;
    }

    /// <summary>
    /// Waits until every resource of the topology is healthy and the migrations have completed; fails
    /// at once, naming each resource's state, when any of them fails to start or exits.
    /// </summary>
    public async Task WaitUntilUpAsync(TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var failed = _snapshots.Values.Where(e => e.Snapshot.State?.Text is { } state &&
                (state == KnownResourceStates.FailedToStart ||
                 (state is "Exited" or "Finished" && e.Snapshot.ExitCode is not (null or 0))));
            if (failed.Any())
            {
                throw new InvalidOperationException($"A resource failed: {DescribeStates()}");
            }

            var migrated = Instances("migrations") is [{ State.Text: var migrationState }] && migrationState == KnownResourceStates.Finished;
            var healthy = HealthyResources.All(name => Instances(name) is { Count: > 0 } instances && instances.All(i =>
                i.State?.Text == KnownResourceStates.Running && i.HealthStatus == HealthStatus.Healthy));
            if (migrated && healthy)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The topology was not up within {timeout}. Resource states: {DescribeStates()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    /// <summary>The instance id of every resource of the run (replicas have one each).</summary>
    public IReadOnlyList<string> AllInstanceIds() => [.. _snapshots.Keys.Order()];

    /// <summary>The instance ids of a resource (what Aspire's commands take; replicas have one each).</summary>
    public IReadOnlyList<string> InstanceIds(string resourceName) => _snapshots
        .Where(pair => pair.Value.Resource.Name == resourceName)
        .Select(pair => pair.Key)
        .Order()
        .ToArray();

    /// <summary>
    /// Stops one instance of a project resource the way a crash-free process exit would (SIGTERM to
    /// the service process), then starts it again with Aspire's start command and waits until it is
    /// healthy. (Aspire's own stop command signals the <c>dotnet run</c> launcher with SIGINT, which
    /// that launcher does not pass on outside a terminal, so it cannot stop a project here.)
    /// </summary>
    public async Task RestartProjectInstanceAsync(string instanceId, CancellationToken ct)
    {
        var launcher = ProcessIdOf(instanceId);
        foreach (var process in ProcessTree.WithDescendants([launcher]).Where(pid => pid != launcher))
        {
            ProcessTree.Terminate(process);
        }

        await WaitForInstanceAsync(instanceId, s => s.State?.Text is "Exited" or "Finished", TimeSpan.FromSeconds(30), ct);
        var start = await App.ResourceCommands.ExecuteCommandAsync(instanceId, KnownResourceCommands.StartCommand, ct);
        if (!start.Success)
        {
            throw new InvalidOperationException($"Starting {instanceId} failed: {start.Message}");
        }

        await WaitForInstanceAsync(instanceId, s => s.State?.Text == KnownResourceStates.Running && s.HealthStatus == HealthStatus.Healthy, TimeSpan.FromMinutes(2), ct);
    }

    private int ProcessIdOf(string instanceId) => ProcessIdsOf(_snapshots[instanceId].Snapshot).First();

    private async Task WaitForInstanceAsync(string instanceId, Func<CustomResourceSnapshot, bool> condition, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!(_snapshots.TryGetValue(instanceId, out var current) && condition(current.Snapshot)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{instanceId} did not reach the expected state within {timeout}: {DescribeStates()}");
            }

            await Task.Delay(200, ct);
        }
    }

    public string DescribeStates() => string.Join("; ", _snapshots
        .OrderBy(pair => pair.Key)
        .Select(pair => $"{pair.Key}={pair.Value.Snapshot.State?.Text ?? "?"}/{pair.Value.Snapshot.HealthStatus?.ToString() ?? "-"}"));

    /// <summary>Process ids of every process the run started, as Aspire reports them (executables and projects).</summary>
    public IReadOnlyCollection<int> ProcessIds() => _snapshots.Values
        .SelectMany(e => ProcessIdsOf(e.Snapshot))
        .Distinct()
        .ToArray();

    private static IEnumerable<int> ProcessIdsOf(CustomResourceSnapshot snapshot) => snapshot.Properties
        .Where(property => property.Name is "executable.pid" or "project.pid" or "resource.pid")
        .Select(property => Convert.ToInt32(property.Value));

    /// <summary>Everything every instance of a resource (a replica each) wrote to its console so far in this run.</summary>
    public async Task<string> ConsoleLogAsync(string resourceName, CancellationToken ct)
    {
        var lines = new List<string>();
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        var instances = InstanceIds(resourceName) is { Count: > 0 } ids ? ids : [resourceName];
        foreach (var instance in instances)
        {
            await foreach (var batch in logs.GetAllAsync(instance).WithCancellation(ct))
            {
                lines.AddRange(batch.Select(line => line.Content));
            }
        }

        return string.Join('\n', lines);
    }

    public Task<string?> ConnectionStringAsync(string resourceName, CancellationToken ct) =>
        App.GetConnectionStringAsync(resourceName, ct).AsTask();

    private void WatchResources() => _ = Task.Run(async () =>
    {
        try
        {
            await foreach (var resourceEvent in App.ResourceNotifications.WatchAsync(_watching.Token))
            {
                _snapshots[resourceEvent.ResourceId] = resourceEvent;
            }
        }
        catch (OperationCanceledException)
        {
        }
    });

    public async ValueTask DisposeAsync()
    {
        await _watching.CancelAsync();
        // A run whose resources are stuck (a dependency that never came up) must not hang the suite.
        using var stopping = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await App.StopAsync(stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await App.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        _watching.Dispose();
    }
}
