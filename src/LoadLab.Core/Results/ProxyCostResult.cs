using System.Diagnostics.CodeAnalysis;

namespace PerfReference.LoadLab.Results;

/// <summary>
/// What the latency proxy itself costs, as written to results/proxy/&lt;UTC time&gt;-&lt;profile&gt;.json: the lab's own
/// traffic (request and answer exchanges at a fixed rate on every link) through a set of links, each hosting arrangement
/// in turn in alternating rounds, every link probed beside the traffic as in a run. Each point gives the links' probed
/// round trips (what they add beyond the profile is the proxy's tail), the traffic's own exchanges, and the CPU the proxy
/// processes spent per forwarded megabyte.
/// </summary>
public sealed record ProxyCostResult : ResultHeader
{
    public ProxyCostResult()
    {
    }

    [SetsRequiredMembers]
    public ProxyCostResult(ResultHeader header) : base(header)
    {
    }

    /// <summary>The profile every link ran.</summary>
    public string Profile { get; init; } = "";

    /// <summary>The proxy build measured: "this checkout", or the path given.</summary>
    public string Proxy { get; init; } = "";

    public int Links { get; init; }

    /// <summary>Exchanges per second on each link, over its connections.</summary>
    public double ExchangesPerSecond { get; init; }

    public int ConnectionsPerLink { get; init; }

    public int RequestBytes { get; init; }

    public int ResponseBytes { get; init; }

    /// <summary>Threads the lab kept busy beside the traffic (the topology's services on the same cores), 0 for none.</summary>
    public int BusyThreads { get; init; }

    public double StepSeconds { get; init; }

    public double WarmupSeconds { get; init; }

    /// <summary>How often each link was probed.</summary>
    public double ProbeIntervalMs { get; init; }

    /// <summary>Environment given to the proxy processes besides (a runtime setting tried), as NAME=value.</summary>
    public IReadOnlyList<string> ProxyEnvironment { get; init; } = [];

    public IReadOnlyList<ProxyCostPoint> Points { get; init; } = [];
}

/// <summary>
/// One arrangement in one round: how the links were hosted (<see cref="ProxyCostPoint.Shared"/>: every link in one
/// process; <see cref="ProxyCostPoint.PerLink"/>: a process each), what their probes measured, the traffic's exchanges
/// (their p99 in ms, from each send) and bytes, and the proxy processes' CPU over the window.
/// </summary>
public sealed record ProxyCostPoint(
    int Round,
    string Arrangement,
    int Processes,
    double WindowSeconds,
    IReadOnlyList<LinkRoundTrip> Links,
    long Exchanges,
    double ExchangeP99Ms,
    long ForwardedBytes,
    double ProxyCpuMs,
    double? LoadAverage)
{
    public const string Shared = "shared";
    public const string PerLink = "per-link";

    /// <summary>CPU milliseconds the proxies spent per megabyte they forwarded (both directions counted).</summary>
    public double CpuMsPerMegabyte => ForwardedBytes == 0 ? 0 : Math.Round(ProxyCpuMs / (ForwardedBytes / 1e6), 2);

    /// <summary>The proxies' CPU as a share of one core over the window.</summary>
    public double CpuShareOfCore => WindowSeconds == 0 ? 0 : Math.Round(ProxyCpuMs / (WindowSeconds * 1000), 4);

    /// <summary>The worst link's p99 (ms), over the links that answered.</summary>
    public double? WorstP99Ms => Links.Max(link => link.P99Ms);
}
