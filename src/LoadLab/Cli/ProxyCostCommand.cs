using System.ComponentModel;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Links.ProxyCost;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PerfReference.LoadLab.Cli;

public sealed class ProxyCostSettings : CommandSettings
{
    [CommandOption("--profile <PROFILE>")]
    [Description("The network profile every link runs.")]
    [DefaultValue("seed")]
    public string Profile { get; set; } = "seed";

    [CommandOption("--links <N>")]
    [Description("How many links (the topology runs four standalone ones, orders-link, postgres-link, cache-link, payments-link).")]
    [DefaultValue(4)]
    public int Links { get; set; } = 4;

    [CommandOption("--rate <EXCHANGES_PER_SECOND>")]
    [Description("Request and answer exchanges a second on each link (the seed checkout at 3 requests/s makes about 300 on postgres-link).")]
    [DefaultValue(100.0)]
    public double Rate { get; set; } = 100;

    [CommandOption("--connections <N>")]
    [Description("Connections per link that share its exchanges, each one exchange at a time (as a pooled database connection).")]
    [DefaultValue(4)]
    public int Connections { get; set; } = 4;

    [CommandOption("--request <BYTES>")]
    [DefaultValue(200)]
    public int Request { get; set; } = 200;

    [CommandOption("--response <BYTES>")]
    [DefaultValue(2000)]
    public int Response { get; set; } = 2000;

    [CommandOption("--arrangements <LIST>")]
    [Description("How the links are hosted, measured in turn: shared (every link in one process), per-link (a process each).")]
    [DefaultValue(ProxyCostDefaults.Arrangements)]
    public string Arrangements { get; set; } = ProxyCostDefaults.Arrangements;

    [CommandOption("--rounds <N>")]
    [DefaultValue(ProxyCostDefaults.Rounds)]
    public int Rounds { get; set; } = ProxyCostDefaults.Rounds;

    [CommandOption("--step <DURATION>")]
    [Description("How long each arrangement is measured in each round.")]
    [DefaultValue(ProxyCostDefaults.Step)]
    public string Step { get; set; } = ProxyCostDefaults.Step;

    [CommandOption("--warmup <DURATION>")]
    [Description("Traffic before each measurement, not recorded (the proxies have just started).")]
    [DefaultValue(ProxyCostDefaults.Warmup)]
    public string Warmup { get; set; } = ProxyCostDefaults.Warmup;

    [CommandOption("--probe-interval <DURATION>")]
    [Description("How often each link is probed (a run probes every 500 ms; more often here, for a P99 of several hundred probes).")]
    [DefaultValue("100ms")]
    public string ProbeInterval { get; set; } = "100ms";

    [CommandOption("--busy <THREADS>")]
    [Description("Threads kept busy beside the links, as the topology's services keep the cores busy during a run.")]
    [DefaultValue(0)]
    public int Busy { get; set; }

    [CommandOption("--proxy <PATH>")]
    [Description("The proxy build to measure (its dll or program; an older build is measured per-link only). Default: this checkout's.")]
    public string? Proxy { get; set; }

    [CommandOption("--proxy-env <NAME=VALUE>")]
    [Description("An environment variable for the proxy processes (a runtime setting to try, e.g. DOTNET_gcConcurrent=0); repeatable.")]
    public string[] ProxyEnvironment { get; set; } = [];

    [CommandOption("--results <DIR>")]
    [Description("Where the result file goes (default: results/ in the repository, in results/proxy/).")]
    public string? Results { get; set; }

    public ProxyCostOptions ToOptions()
    {
        var profile = NetworkProfile.Find(Profile) ?? throw new LabInputException($"--profile '{Profile}' is not a network profile; use one of: {string.Join(", ", NetworkProfile.All.Select(p => p.Name))}.");
        if (profile == NetworkProfile.Loopback)
        {
            throw new LabInputException("--profile loopback adds nothing: the topology runs no proxy on loopback.");
        }

        string[] arrangements = [.. Arrangements.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        if (arrangements.Length == 0 || arrangements.Any(a => a is not (ProxyCostPoint.Shared or ProxyCostPoint.PerLink)))
        {
            throw new LabInputException($"--arrangements '{Arrangements}': give {ProxyCostPoint.Shared}, {ProxyCostPoint.PerLink} or both.");
        }

        if (Links is < 1 or > 32 || Connections is < 1 or > 256 || Rate is not (> 0 and <= 100_000) || Request < 1 || Response < 1 || Rounds < 1 || Busy is < 0 or > 64)
        {
            throw new LabInputException("--links 1..32, --connections 1..256, --rate above 0, --request and --response at least 1 byte, --rounds at least 1, --busy 0..64.");
        }

        var proxy = Proxy is null ? ProxyProcesses.OwnBuild : Path.GetFullPath(Proxy);
        if (!File.Exists(proxy))
        {
            throw new LabInputException($"No proxy at {proxy}: build it first (dotnet build -c Release src/LatencyProxy).");
        }

        return new ProxyCostOptions(profile, Links, new ExchangeShape(Rate, Connections, Request, Response), arrangements, Rounds,
            DurationOption.Parse(Step, "step"), DurationOption.Parse(Warmup, "warmup"), DurationOption.Parse(ProbeInterval, "probe-interval"),
            proxy, ProxyEnvironment, Busy, RepositoryRoot.Results(Results));
    }
}

/// <summary>The proxy's own cost: one line per arrangement and round as it ends, then where the result file went.</summary>
public sealed class ProxyCostCommand(IAnsiConsole console) : AsyncCommand<ProxyCostSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ProxyCostSettings settings, CancellationToken ct)
    {
        var options = settings.ToOptions();
        console.MarkupLineInterpolated(
            $"[bold]proxy-cost[/]: {options.Links} links as '{options.Profile.Name}', {options.Traffic.PerSecond:0.#} exchanges/s each ({options.Traffic.RequestBytes} B → {options.Traffic.ResponseBytes} B over {options.Traffic.Connections} connections), {options.BusyThreads} busy threads; {string.Join(" / ", options.Arrangements)} in {options.Rounds} rounds of {Durations.Format(options.Step)}");
        var progress = new SynchronousProgress<ProxyCostPoint>(point => console.MarkupLineInterpolated(
            $"round {point.Round,2}  {point.Arrangement,-9} {point.Processes,2} proc  probes p99 {string.Join(" ", point.Links.Select(link => Figures.Ms(link.P99Ms ?? double.NaN)))} ms (median {string.Join(" ", point.Links.Select(link => Figures.Ms(link.MedianMs ?? double.NaN)))})  exchanges {Figures.Count(point.Exchanges)} p99 {Figures.Ms(point.ExchangeP99Ms)} ms  CPU {point.CpuShareOfCore:P1} of a core, {point.CpuMsPerMegabyte:0.##} ms/MB  load {point.LoadAverage:0.0}"));
        var (_, path) = await new ProxyCostRunner().RunAsync(options, progress, ct);
        console.MarkupLineInterpolated($"Result: [bold]{path}[/]  (regenerate the log: dotnet run --project src/LoadLab -- log)");
        return 0;
    }
}
