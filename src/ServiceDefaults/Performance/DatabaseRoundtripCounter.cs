using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace PerfReference.Performance;

/// <summary>
/// Counts every command or batch Npgsql sends against the request that sent it. Npgsql starts an
/// activity per command on the caller's async flow, so the current <see cref="PerfRequest"/> is the
/// one to charge — whatever the code above (EF Core, Dapper, raw Npgsql) looks like.
/// </summary>
public sealed class DatabaseRoundtripCounter : IHostedService, IDisposable
{
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == "Npgsql",
        // Asking for propagation data only makes Npgsql create its activity even where no tracer records it.
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
        ActivityStarted = _ => PerfRequest.Current?.Counters.CountDbRoundtrip(),
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ActivitySource.AddActivityListener(_listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();
}
