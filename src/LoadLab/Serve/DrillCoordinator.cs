using PerfReference.LoadLab.Drills;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Serve;

/// <summary>
/// Runs a drill in the background for the serve API (the dashboard's Drill commands), in the lab's one slot, with the
/// topology's addresses from the lab resource's configuration. The result lands in results/drills/ like a command-line run's.
/// </summary>
public sealed class DrillCoordinator(LabSlot slot, IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<DrillCoordinator> logger)
{
    public DrillOptions Prepare(DrillRequest request) => DrillOptions.Create(request.Drill ?? "", request.Rate, request.Duration, Connections().Topology());

    /// <summary>Starts the drill unless the lab is busy (then false: the caller answers 409).</summary>
    public bool TryStart(DrillOptions options) => slot.TryStart($"the drill {options.Drill.Id}", () => RunAsync(options)) is not null;

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
            logger.Log(result.Passed ? LogLevel.Information : LogLevel.Error,
                "Drill {Drill} {Verdict}: {Accepted} of {Checkouts} accepted, {Lost} lost, {DoubleCharges} charged twice, {WrongBalances} wrong balances, recovery {Recovery} s; {Path}",
                options.Drill.Id, result.Passed ? "passed" : "FAILED", result.Accepted, result.Checkouts, result.Books.LostOrders, result.Books.DoubleCharges,
                result.Books.WrongBalances, result.RecoverySeconds, path);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogError(error, "Drill {Drill} could not run", options.Drill.Id);
        }
    }
}
