using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace PerfReference.Performance;

/// <summary>
/// Counts every command or batch Npgsql sends, and the time it took, against the request that sent
/// it. Npgsql starts and stops an activity per command on the caller's async flow, so the current
/// <see cref="PerfRequest"/> is the one to charge — whatever the code above (EF Core, Dapper, raw
/// Npgsql) looks like.
/// </summary>
public sealed class DatabaseRoundtripCounter : IHostedService, IDisposable
{
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == "Npgsql",
        // Asking for propagation data only makes Npgsql create its activity even where no tracer records it.
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
        ActivityStarted = _ => PerfRequest.Current?.Counters.CountDbRoundtrip(),
        ActivityStopped = command => PerfRequest.Current?.Counters.AddDbTime(command.Duration),
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ActivitySource.AddActivityListener(_listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();
}
