using PerfReference.LoadLab.Links;
using PerfReference.LoadLab.Processes;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Signals;

namespace PerfReference.LoadLab.Runs;

/// <summary>
/// What the lab watches in this checkout's topology on this machine while it loads it, for every kind of run (a run,
/// a capacity search, a concurrency sweep): each process's runtime signals (<see cref="SignalRecorder"/>) and each
/// network link's real round trip (<see cref="LinkProber"/>). Nothing found: a run without them.
/// </summary>
public sealed class TopologyWatch : IAsyncDisposable
{
    private readonly SignalRecorder _signals;
    private readonly LinkProber _links;

    private TopologyWatch(SignalRecorder signals, LinkProber links) => (_signals, _links) = (signals, links);

    /// <param name="origin">The time signal samples count from (the run's start).</param>
    /// <param name="watchDashboard">Record the signals of this checkout's Aspire dashboard too.</param>
    public static async Task<TopologyWatch> StartAsync(DateTimeOffset origin, CancellationToken ct, bool watchDashboard = false)
    {
        var root = RepositoryRoot.Find();
        var processes = ServiceProcesses.Find(root);
        IReadOnlyList<ServiceProcess> watched = watchDashboard && root is not null ? [.. processes, .. ServiceProcesses.DashboardOf(root)] : processes;
        var signals = await SignalRecorder.StartAsync(watched, origin, SignalRecorder.DefaultInterval, ct);
        return new TopologyWatch(signals, LinkProber.Start(TopologyLinks.Find(processes), LinkProber.DefaultInterval));
    }

    public async Task<Watched> StopAsync() => new(await _signals.StopAsync(), await _links.StopAsync());

    public async ValueTask DisposeAsync()
    {
        await _links.DisposeAsync();
        await _signals.DisposeAsync();
    }
}

/// <summary>The processes' runtime signals and the links' round trips over a run (no links: none on this machine, as on loopback).</summary>
public sealed record Watched(IReadOnlyList<ProcessSignals> Signals, IReadOnlyList<LinkRoundTrip> Links);
