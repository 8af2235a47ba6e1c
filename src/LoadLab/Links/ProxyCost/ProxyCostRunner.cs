using System.Globalization;
using PerfReference.LatencyProxy;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Links.ProxyCost;

/// <summary>A proxy-cost measurement, checked: the links, their traffic, the arrangements and rounds, the proxy build.</summary>
public sealed record ProxyCostOptions(
    NetworkProfile Profile, int Links, ExchangeShape Traffic, IReadOnlyList<string> Arrangements, int Rounds, TimeSpan Step, TimeSpan Warmup,
    TimeSpan ProbeInterval, string Proxy, IReadOnlyList<string> ProxyEnvironment, int BusyThreads, string ResultsDirectory)
{
    /// <summary>The names the links get, in order (the topology's standalone links first).</summary>
    public static IReadOnlyList<string> LinkNames { get; } = ["orders-link", "postgres-link", "cache-link", "payments-link"];

    public string Command() => string.Create(CultureInfo.InvariantCulture,
        $"dotnet run -c Release --project src/LoadLab -- proxy-cost --profile {Profile.Name} --links {Links} --rate {Traffic.PerSecond} --connections {Traffic.Connections} --request {Traffic.RequestBytes} --response {Traffic.ResponseBytes} --arrangements {string.Join(',', Arrangements)} --rounds {Rounds} --step {Durations.Format(Step)} --warmup {Durations.Format(Warmup)} --probe-interval {Durations.Format(ProbeInterval)} --busy {BusyThreads}")
        + string.Concat(ProxyEnvironment.Select(variable => $" --proxy-env {variable}"));

    public static string NameOf(int link) => link < LinkNames.Count ? LinkNames[link] : $"link-{link + 1}";
}

/// <summary>
/// Measures what the latency proxy itself costs. Every link gets the lab's own traffic (<see cref="ExchangeTraffic"/>,
/// to an <see cref="ExchangeServer"/> of its own) and is probed beside it as in a run (<see cref="LinkProber"/>), for
/// each hosting arrangement in turn, in rounds whose order alternates so that what the machine does meanwhile falls on
/// both; the proxies' CPU is read from /proc. Optionally a number of threads stay busy beside it all, as the topology's
/// services keep the cores busy during a run.
/// </summary>
public sealed class ProxyCostRunner
{
    public async Task<(ProxyCostResult Result, string Path)> RunAsync(ProxyCostOptions options, IProgress<ProxyCostPoint>? progress, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var machine = MachineInfo.Current();
        var servers = Enumerable.Range(0, options.Links).Select(_ => new ExchangeServer(options.Traffic)).ToArray();
        using var busy = BusyThreads.Start(options.BusyThreads);
        var points = new List<ProxyCostPoint>();
        try
        {
            for (var round = 1; round <= options.Rounds; round++)
            {
                foreach (var arrangement in Order(options.Arrangements, round))
                {
                    var point = await MeasureAsync(options, arrangement, round, servers, ct);
                    points.Add(point);
                    progress?.Report(point);
                }
            }
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }

        var result = new ProxyCostResult(new ResultHeader
        {
            StartedUtc = started,
            FinishedUtc = DateTimeOffset.UtcNow,
            Machine = machine,
            Commit = RepositoryRoot.GitCommit(),
            Command = options.Command(),
        })
        {
            Profile = options.Profile.Name,
            Proxy = options.Proxy == ProxyProcesses.OwnBuild ? "this checkout" : options.Proxy,
            Links = options.Links,
            ExchangesPerSecond = options.Traffic.PerSecond,
            ConnectionsPerLink = options.Traffic.Connections,
            RequestBytes = options.Traffic.RequestBytes,
            ResponseBytes = options.Traffic.ResponseBytes,
            BusyThreads = options.BusyThreads,
            StepSeconds = options.Step.TotalSeconds,
            WarmupSeconds = options.Warmup.TotalSeconds,
            ProbeIntervalMs = options.ProbeInterval.TotalMilliseconds,
            ProxyEnvironment = options.ProxyEnvironment,
            Points = points,
        };
        return (result, await ResultFiles.ProxyCosts.In(options.ResultsDirectory).WriteAsync(result, ct));
    }

    /// <summary>Odd rounds in the order given, even rounds reversed: no arrangement always goes first.</summary>
    public static IReadOnlyList<string> Order(IReadOnlyList<string> arrangements, int round) =>
        round % 2 == 1 ? arrangements : [.. arrangements.Reverse()];

    private static async Task<ProxyCostPoint> MeasureAsync(ProxyCostOptions options, string arrangement, int round, ExchangeServer[] servers, CancellationToken ct)
    {
        var links = servers.Select((server, i) => new LinkSpec(ProxyCostOptions.NameOf(i), ProxyProcesses.FreePort(), server.EndPoint.ToString(), options.Profile)).ToArray();
        await using var proxies = await ProxyProcesses.StartAsync(arrangement, links, options.Proxy, options.ProxyEnvironment, ct);
        var traffic = links.Select(link => ExchangeTraffic.Start(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, link.Port), options.Traffic)).ToArray();
        try
        {
            await Task.Delay(options.Warmup, ct);
            var load = MachineInfo.ReadLoadAverage();
            foreach (var flow in traffic)
            {
                flow.BeginMeasuring();
            }

            var cpuBefore = proxies.CpuMilliseconds();
            var from = System.Diagnostics.Stopwatch.GetTimestamp();
            await using var prober = LinkProber.Start([.. links.Select(link => new NetworkLink(link.Name, link.Port, link.Profile))], options.ProbeInterval);
            await Task.Delay(options.Step, ct);
            var probed = await prober.StopAsync();
            var window = System.Diagnostics.Stopwatch.GetElapsedTime(from);
            var cpu = proxies.CpuMilliseconds() - cpuBefore;
            var exchanged = traffic.Select(flow => flow.EndMeasuring()).ToArray();
            var exchanges = exchanged.Sum(figures => figures.Count);
            return new ProxyCostPoint(round, arrangement, proxies.ProcessIds.Count, Math.Round(window.TotalSeconds, 2), probed,
                exchanges, exchanged.Max(figures => figures.P99Ms),
                exchanges * (options.Traffic.RequestBytes + options.Traffic.ResponseBytes), Math.Round(cpu, 1), load);
        }
        finally
        {
            foreach (var flow in traffic)
            {
                await flow.DisposeAsync();
            }
        }
    }

    /// <summary>Threads that keep cores busy at the default priority, as the services under load do beside the links.</summary>
    private sealed class BusyThreads : IDisposable
    {
        private volatile bool _stopped;

        private BusyThreads(int count)
        {
            for (var i = 0; i < count; i++)
            {
                new Thread(Spin) { IsBackground = true, Name = $"busy-{i}" }.Start();
            }
        }

        public static BusyThreads Start(int count) => new(count);

        private void Spin()
        {
            while (!_stopped)
            {
                Thread.SpinWait(1000);
            }
        }

        public void Dispose() => _stopped = true;
    }
}
