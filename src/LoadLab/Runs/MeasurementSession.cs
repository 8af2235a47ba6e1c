using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Scenarios;

namespace PerfReference.LoadLab.Runs;

/// <summary>
/// What every measurement of the running system does first and last (a run, a capacity search, a sweep, a ceiling): a
/// client for the load, a check that the service answers, a wait for the payments an earlier load left
/// (<see cref="EarlierLoad"/>), the machine as it was then (its load average says what else the machine was doing); once
/// the load is prepared, the topology watched (<see cref="TopologyWatch"/>); and at the end the header of its result, with
/// the signals and link round trips the watch recorded.
/// </summary>
public sealed class MeasurementSession : IAsyncDisposable
{
    private TopologyWatch? _watch;

    private MeasurementSession(HttpClient http, MachineInfo machine) => (Http, Machine) = (http, machine);

    /// <summary>The client of the setup and the load (the lab's own: no retries, no decompression).</summary>
    public HttpClient Http { get; }

    public MachineInfo Machine { get; }

    /// <summary>Payments of an earlier load still outstanding when the measurement began (0: at rest; null: not known).</summary>
    public int? UnsettledPayments { get; private init; }

    /// <summary>When the watch started: signal samples count their seconds from here.</summary>
    public DateTimeOffset StartedUtc { get; private set; }

    public static async Task<MeasurementSession> OpenAsync(Uri baseUrl, CancellationToken ct)
    {
        var http = LabClient.Create(baseUrl);
        try
        {
            await LabClient.ProbeAsync(http, baseUrl, ct);
            var unsettled = await new EarlierLoad(TimeProvider.System).SettleAsync(http, new Progress<string>(Console.Error.WriteLine), ct);
            // The machine as the measurement found it: after the wait, not before.
            return new MeasurementSession(http, MachineInfo.Current()) { UnsettledPayments = unsettled };
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>Starts the clock and the watch of the topology's processes and links: the measured part begins.</summary>
    /// <param name="watchDashboard">The Aspire dashboard's signals as well (<see cref="ServiceProcesses.DashboardOf"/>).</param>
    public async Task WatchAsync(CancellationToken ct, bool watchDashboard = false)
    {
        StartedUtc = DateTimeOffset.UtcNow;
        _watch = await TopologyWatch.StartAsync(StartedUtc, ct, watchDashboard);
    }

    /// <summary>
    /// Stops the watch; the header of the result: what was measured, on which system, the signals and link round trips
    /// recorded meanwhile, and the condition marked when a link was slower than its profile.
    /// </summary>
    public async Task<MeasurementHeader> StopAsync(string scenario, string title, string profile, Uri baseUrl, string setup, string command, string? condition = null)
    {
        var (signals, links) = _watch is { } watch ? await watch.StopAsync() : new Watched([], []);
        return new MeasurementHeader
        {
            Scenario = scenario,
            Title = title,
            StartedUtc = StartedUtc,
            FinishedUtc = DateTimeOffset.UtcNow,
            Machine = Machine,
            Commit = RepositoryRoot.GitCommit(),
            Command = command,
            Profile = profile,
            BaseUrl = baseUrl.ToString().TrimEnd('/'),
            Setup = setup,
            Signals = signals,
            Links = links,
            Condition = LinkRoundTrip.Mark(RunConditions.Join(condition, EarlierLoad.Condition(UnsettledPayments)), links),
            UnsettledPayments = UnsettledPayments,
            LoadAverageAfter = MachineInfo.ReadLoadAverage(),
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_watch is not null)
        {
            await _watch.DisposeAsync();
        }

        Http.Dispose();
    }
}
