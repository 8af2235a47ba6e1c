using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace PerfReference.Performance;

/// <summary>
/// Counts every command or batch Npgsql sends, and the time it took, against the request that sent
/// it. Npgsql starts and stops an activity per command on the caller's async flow, so the current
/// <see cref="PerfRequest"/> is the one to charge — whatever the code above (EF Core, Dapper, raw
/// Npgsql) looks like. Npgsql also traces each physical connection it opens (an activity named
/// <c>CONNECT &lt;database&gt;</c>, from Npgsql 10): those are counted as connection opens, not round trips.
/// </summary>
/// <remarks>
/// One listener for the process, however many hosts start this service (a test that starts an
/// in-memory host beside its own counting): two listeners would count every command twice.
/// </remarks>
public sealed class DatabaseRoundtripCounter : IHostedService
{
    private static readonly Lazy<ActivityListener> Listener = new(() =>
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            // Asking for propagation data only makes Npgsql create its activity even where no tracer records it.
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
            ActivityStarted = activity =>
            {
                if (IsPhysicalOpen(activity))
                {
                    PerfRequest.Current?.Counters.CountDbConnectionOpen();
                }
                else
                {
                    PerfRequest.Current?.Counters.CountDbRoundtrip();
                }
            },
            ActivityStopped = activity =>
            {
                if (IsPhysicalOpen(activity))
                {
                    PerfRequest.Current?.Counters.AddDbConnectTime(activity.Duration);
                }
                else
                {
                    PerfRequest.Current?.Counters.AddDbTime(activity.Duration);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    });

    /// <summary>The prefix of the activity Npgsql starts around a physical open (NpgsqlActivitySource.PhysicalConnectionOpen).</summary>
    public const string PhysicalOpenPrefix = "CONNECT ";

    public static bool IsPhysicalOpen(Activity activity) => activity.OperationName.StartsWith(PhysicalOpenPrefix, StringComparison.Ordinal);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Listener.Value;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
