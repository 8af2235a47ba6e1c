using PerfReference.LoadLab.Drills;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Serve;

/// <summary>
/// The answer of <c>GET /drills/current</c>: the drill running (or the last one started) and since when, and the last
/// drill that ended — its result file and whether it passed, or the error that stopped it.
/// </summary>
public sealed record DrillStatus(
    RunState State, string? Drill, DateTimeOffset? StartedUtc, string? LastDrill, string? LastResult, bool? LastPassed, string? LastError);

/// <summary>
/// Runs a drill in the background for the serve API (the dashboard's Drill commands), in the lab's one slot, with the
/// topology's addresses from the lab resource's configuration. The result lands in results/drills/ like a command-line run's.
/// </summary>
public sealed class DrillCoordinator(LabSlot slot, IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<DrillCoordinator> logger)
{
    private readonly Lock _gate = new();
    private Task? _current;
    private string? _drill;
    private DateTimeOffset? _startedUtc;
    private DrillOutcome? _last;

    public DrillOptions Prepare(DrillRequest request) => DrillOptions.Create(request.Drill ?? "", request.Rate, request.Duration, Connections().Topology());

    /// <summary>Starts the drill unless the lab is busy (then false: the caller answers 409).</summary>
    public bool TryStart(DrillOptions options)
    {
        lock (_gate)
        {
            if (slot.TryStart($"the drill {options.Drill.Id}", () => RunAsync(options)) is not { } started)
            {
                return false;
            }

            (_current, _drill, _startedUtc) = (started, options.Drill.Id, DateTimeOffset.UtcNow);
            return true;
        }
    }

    /// <summary>The drill running or last run, and how the last one ended: what a script waits on (scripts/measure-drills.sh).</summary>
    public DrillStatus Status()
    {
        lock (_gate)
        {
            return new DrillStatus(_current is { IsCompleted: false } ? RunState.Running : RunState.Idle, _drill, _startedUtc,
                _last?.Drill, _last?.Result, _last?.Passed, _last?.Error);
        }
    }

    private void Finished(DrillOutcome outcome)
    {
        lock (_gate)
        {
            _last = outcome;
        }
    }

    private DrillConnections Connections() => DrillConnections.From(configuration, ordersBaseUrl: configuration["LoadLab:BaseUrl"]);

    private async Task RunAsync(DrillOptions options)
    {
        try
        {
            logger.LogInformation("Drill {Drill}: {Command}", options.Drill.Id, options.Command());
            await using var context = Connections().Open();
            var result = await new DrillRunner(context).RunAsync(options, new Progress<string>(step => logger.LogInformation("Drill {Drill}: {Step}", options.Drill.Id, step)),
                lifetime.ApplicationStopping);
            var path = await ResultFiles.Drills.In(RepositoryRoot.Results(configuration["LoadLab:Results"])).WriteAsync(result);
            Finished(new DrillOutcome(options.Drill.Id, path, result.Passed, null));
            logger.Log(result.Passed ? LogLevel.Information : LogLevel.Error,
                "Drill {Drill} {Verdict}: {Accepted} of {Checkouts} accepted, {GaveUp} given up, {Unacknowledged} stored but unacknowledged, {Lost} lost, {DoubleCharges} charged twice, {WrongBalances} wrong balances; per variant: {Variants}; {Path}",
                options.Drill.Id, result.Passed ? "passed" : "FAILED", result.Accepted, result.Checkouts, result.GaveUp, result.StoredButUnacknowledged, result.Books.LostOrders,
                result.Books.DoubleCharges, result.Books.WrongBalances,
                string.Join("; ", (result.Variants ?? []).Select(v => $"{v.Variant} {v.GaveUp} given up, recovery {(v.RecoverySeconds is { } s ? $"{s:0.#} s" : "not within the run")}, {(v.Passed ? "passed" : "failed")}")),
                path);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            Finished(new DrillOutcome(options.Drill.Id, null, null, error.Message));
            logger.LogError(error, "Drill {Drill} could not run", options.Drill.Id);
        }
    }
}

/// <summary>How a drill of the serve API ended: its result file and verdict, or why it could not run.</summary>
internal sealed record DrillOutcome(string Drill, string? Result, bool? Passed, string? Error);
