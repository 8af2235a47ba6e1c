using Microsoft.Diagnostics.NETCore.Client;
using PerfReference.LoadLab.Processes;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Signals;

/// <summary>
/// Records the runtime signals of every process of the topology for the length of a run: one
/// EventPipe session per process (<see cref="MeterSession"/>). A process that cannot be attached to
/// is named in the result with the reason; the run goes on without it — the signals explain a
/// measurement, they never stop one.
/// </summary>
public sealed class SignalRecorder : IAsyncDisposable
{
    /// <summary>One sample a second: enough to see a burst's queue build up, few enough to keep result files small.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    private readonly List<MeterSession> _sessions;
    private readonly List<ProcessSignals> _failed;

    private SignalRecorder(List<MeterSession> sessions, List<ProcessSignals> failed) => (_sessions, _failed) = (sessions, failed);

    /// <param name="origin">The time sample offsets count from (the run's start).</param>
    public static async Task<SignalRecorder> StartAsync(IReadOnlyList<ServiceProcess> processes, DateTimeOffset origin, TimeSpan interval, CancellationToken ct)
    {
        var sessions = new List<MeterSession>();
        var failed = new List<ProcessSignals>();
        foreach (var process in processes)
        {
            try
            {
                sessions.Add(await MeterSession.StartAsync(process, origin, interval, ct));
            }
            catch (Exception ex) when (ex is ServerNotAvailableException or UnsupportedCommandException or IOException or TimeoutException)
            {
                failed.Add(new ProcessSignals(process.Service, process.ProcessId, [], $"could not attach: {ex.Message}"));
            }
        }

        return new SignalRecorder(sessions, failed);
    }

    /// <summary>Stops every session; the processes in a stable order (service, then process id).</summary>
    public async Task<IReadOnlyList<ProcessSignals>> StopAsync()
    {
        var recorded = await Task.WhenAll(_sessions.Select(session => session.StopAsync()));
        return [.. recorded.Concat(_failed).OrderBy(p => p.Service, StringComparer.Ordinal).ThenBy(p => p.ProcessId)];
    }

    public ValueTask DisposeAsync()
    {
        foreach (var session in _sessions)
        {
            session.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
