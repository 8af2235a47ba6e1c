using PerfReference.LoadLab.Drills;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Serve;

/// <summary>
/// Runs one drill at a time in the background for the serve API (the dashboard's Drill commands),
/// with the topology's addresses from the lab resource's configuration. The result lands in
/// results/drills/ like a command-line run's.
/// </summary>
public sealed class DrillCoordinator(IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<DrillCoordinator> logger)
{
    private readonly Lock _gate = new();
    private Task? _current;

    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _current is { IsCompleted: false };
            }
        }
    }

    public DrillOptions Prepare(DrillRequest request)
    {
        return DrillOptions.Create(request.Drill ?? "", request.Rate, request.Duration, Connections().Topology());
    }

    public bool TryStart(DrillOptions options)
    {
        lock (_gate)
        {
            if (_current is { IsCompleted: false })
            {
                return false;
            }

            _current = Task.Run(() => RunAsync(options));
            return true;
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
