using System.ComponentModel;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Runs;
using PerfReference.Topology;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PerfReference.LoadLab.Cli;

public sealed class SweepSettings : TargetSettings
{
    [CommandOption("--in-flight <LEVELS>")]
    [Description("The numbers of requests in flight to hold, climbing, comma-separated.")]
    [DefaultValue(SweepOptions.DefaultLevels)]
    public string InFlight { get; set; } = SweepOptions.DefaultLevels;

    [CommandOption("--step <DURATION>")]
    [Description("How long each level is measured, per variant.")]
    [DefaultValue(SweepOptions.DefaultStep)]
    public string Step { get; set; } = SweepOptions.DefaultStep;

    [CommandOption("--warmup <DURATION>")]
    [Description("Load at each level before it is measured, not recorded.")]
    [DefaultValue(SweepOptions.DefaultWarmup)]
    public string Warmup { get; set; } = SweepOptions.DefaultWarmup;
}

/// <summary>A concurrency sweep with one line per level as it ends; the result file is written at the end.</summary>
public sealed class SweepCommand(IAnsiConsole console) : AsyncCommand<SweepSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SweepSettings settings, CancellationToken ct)
    {
        var options = SweepOptions.Create(settings.Scenario, settings.InFlight, settings.Step, settings.Warmup, settings.Profile, settings.BaseUrl,
            RepositoryRoot.Results(settings.Results), settings.ReadClientLink(RunOptions.DefaultBaseUrlFor(settings.Profile)));
        console.MarkupLineInterpolated(
            $"[bold]{options.Scenario.Id}[/] concurrency sweep, closed loop, each variant on its own: {string.Join(", ", options.Levels)} in flight, {Durations.Format(options.Step)} each after {Durations.Format(options.Warmup)} of warm-up");

        using var telemetry = LabTelemetry.StartExporter();
        using var metrics = new LabMetrics();
        var progress = new SynchronousProgress<SweepPoint>(point => console.MarkupLineInterpolated(
            $"{point.Variant,-10} {point.InFlight,5} in flight  {Figures.Count(point.Requests),7} requests  {Figures.Count(point.Errors),5} errors  {Figures.Rate(point.Throughput),8} req/s  p50 {Figures.Ms(point.P50Ms),7} ms  p99 {Figures.Ms(point.P99Ms),7} ms"));
        var outcome = await new SweepRunner(metrics).RunAsync(options, progress, ct);
        LinkLines.Write(console, outcome.Result.Links);
        console.MarkupLineInterpolated($"Result: [bold]{outcome.Path}[/]  (regenerate the log: dotnet run --project src/LoadLab -- log)");
        return 0;
    }
}
