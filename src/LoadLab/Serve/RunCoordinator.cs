using System.Text.Json.Serialization;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Runs;
using PerfReference.LoadLab.Scenarios;

namespace PerfReference.LoadLab.Serve;

/// <summary>Whether a run is in progress.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunState>))]
public enum RunState
{
    [JsonStringEnumMemberName("idle")]
    Idle,

    [JsonStringEnumMemberName("running")]
    Running,
}

/// <summary>What the lab is doing (<c>GET /runs/current</c>), and where the last run's result went.</summary>
public sealed record RunStatus(
    RunState State, string? Scenario, string? Profile, string? Command, DateTimeOffset? StartedUtc,
    long Sent, long Completed, long InFlight, long Errors, string? LastResult, string? LastError);

/// <summary>Runs a scenario in the background for the serve API (and so for the dashboard's commands), in the lab's one slot.</summary>
public sealed class RunCoordinator(LabSlot slot, LabRunner runner, IHostApplicationLifetime lifetime, ILogger<RunCoordinator> logger)
{
    private readonly Lock _gate = new();
    private Task? _current;
    private RunOptions? _options;
    private LiveRun? _live;
    private DateTimeOffset? _startedUtc;
    private string? _lastResult;
    private string? _lastError;

    /// <summary>Starts the run unless the lab is busy with a run or a drill (then false: the caller answers 409).</summary>
    public bool TryStart(RunOptions options)
    {
        lock (_gate)
        {
            if (slot.TryStart($"a run of {options.Scenario.Id}", () => RunAsync(options)) is not { } started)
            {
                return false;
            }

            (_current, _options, _live, _startedUtc) = (started, options, null, DateTimeOffset.UtcNow);
            return true;
        }
    }

    public RunStatus Status()
    {
        lock (_gate)
        {
            var running = _current is { IsCompleted: false };
            var live = _live;
            return new RunStatus(
                running ? RunState.Running : RunState.Idle, _options?.Scenario.Id, _options?.Profile, _options?.Command(), _startedUtc,
                live?.Sent ?? 0, live?.CompletedCount ?? 0, live?.InFlight ?? 0, live?.Recorders.Sum(r => r.Errors) ?? 0,
                _lastResult, _lastError);
        }
    }

    private async Task RunAsync(RunOptions options)
    {
        try
        {
            logger.LogInformation("Running {Command}", options.Command());
            var outcome = await runner.RunAsync(options, live => { lock (_gate) { _live = live; } }, lifetime.ApplicationStopping);
            lock (_gate)
            {
                (_lastResult, _lastError) = (outcome.Path, null);
            }

            foreach (var variant in outcome.Result.Variants)
            {
                logger.LogInformation("{Scenario} {Variant}: p50 {P50} ms, p99 {P99} ms, {Errors} errors of {Count}",
                    options.Scenario.Id, variant.Label, variant.P50Ms, variant.P99Ms, variant.Errors, variant.Count);
            }

            foreach (var link in outcome.Result.Links ?? [])
            {
                logger.Log(link.OverProfile ? LogLevel.Warning : LogLevel.Information, "{Link}", LinkTable.Line(link));
            }

            if (outcome.Result.Companion is { } companion)
            {
                logger.LogInformation("{Scenario} companion load: {Request} at {Rate} rps, {Count} sent, {Errors} errors, p99 {P99} ms",
                    options.Scenario.Id, companion.Request, companion.Rate, companion.Figures.Count, companion.Figures.Errors, companion.Figures.P99Ms);
            }

            logger.LogInformation("Result written to {Path}", outcome.Path);
            logger.LogInformation("{Traces}", outcome.Traces.Summary);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The run of {Scenario} failed", options.Scenario.Id);
            lock (_gate)
            {
                _lastError = ex.Message;
            }
        }
    }
}
