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

public sealed class CeilingSettings : SystemSettings
{
    [CommandOption("--in-flight <N>")]
    [Description("The number of requests held in flight (closed loop), the same for both targets.")]
    [DefaultValue(CeilingOptions.DefaultInFlight)]
    public int InFlight { get; set; } = CeilingOptions.DefaultInFlight;

    [CommandOption("--rounds <N>")]
    [Description("How many rounds; each round measures both targets, one after the other, the order swapped every round.")]
    [DefaultValue(CeilingOptions.DefaultRounds)]
    public int Rounds { get; set; } = CeilingOptions.DefaultRounds;

    [CommandOption("--step <DURATION>")]
    [Description("How long each target is measured in each round.")]
    [DefaultValue(CeilingOptions.DefaultStep)]
    public string Step { get; set; } = CeilingOptions.DefaultStep;

    [CommandOption("--warmup <DURATION>")]
    [Description("Load on each target before the first round, not recorded.")]
    [DefaultValue(CeilingOptions.DefaultWarmup)]
    public string Warmup { get; set; } = CeilingOptions.DefaultWarmup;

    [CommandOption("--condition <NOTE>")]
    [Description("What is different about the system this time (a setting tried against the cost of telemetry), recorded with the result and kept apart in the log.")]
    public string? Condition { get; set; }
}

/// <summary>A ceiling measurement with one line per target and round as it ends, then the medians and the ratio; the result file is written at the end.</summary>
public sealed class CeilingCommand(IAnsiConsole console) : AsyncCommand<CeilingSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CeilingSettings settings, CancellationToken ct)
    {
        var options = CeilingOptions.Create(settings.InFlight, settings.Rounds, settings.Step, settings.Warmup, settings.Profile, settings.BaseUrl,
            RepositoryRoot.Results(settings.Results)) with { Condition = settings.Condition };
        console.MarkupLineInterpolated(
            $"[bold]ceiling[/]: the bare endpoint against the optimized cached read, closed loop at {options.InFlight} in flight, {options.Rounds} rounds of {Durations.Format(options.Step)} each after {Durations.Format(options.Warmup)} of warm-up each");

        using var telemetry = LabTelemetry.StartExporter();
        using var metrics = new LabMetrics();
        var progress = new SynchronousProgress<CeilingPoint>(point => console.MarkupLineInterpolated(
            $"round {point.Round,2}  {point.Target,-12} {Figures.Count(point.Requests),8} requests  {Figures.Count(point.Errors),5} errors  {Figures.Rate(point.Throughput),9} req/s  p50 {Figures.Ms(point.P50Ms),6} ms  p99 {Figures.Ms(point.P99Ms),6} ms"));
        var outcome = await new CeilingRunner(metrics).RunAsync(options, progress, ct);

        var summary = outcome.Result.Summary;
        console.MarkupLineInterpolated(
            $"Median req/s: bare {Figures.Rate(summary.Bare.Median)}, cached read {Figures.Rate(summary.CachedRead.Median)}; cached read ÷ bare (lowest / median / highest): {CeilingSections.Spread(summary.Ratio)} — goal ≥ {CeilingSections.Percent(CeilingSummary.Goal)}: [bold]{(summary.GoalMet ? "met" : "not met")}[/]");
        var state = outcome.Result.Telemetry.State;
        var otherHalf = state switch
        {
            TelemetryState.On or TelemetryState.Sampled => " (the cost of telemetry needs a second run with the system started with Parameters__telemetry=off)",
            TelemetryState.Off => " (the cost of telemetry needs a run with the system started as usual, telemetry on)",
            _ => "",
        };
        console.MarkupLineInterpolated($"Telemetry of the services: [bold]{state}[/]{otherHalf}");
        console.MarkupLineInterpolated($"Result: [bold]{outcome.Path}[/]  (regenerate the log: dotnet run --project src/LoadLab -- log)");
        return 0;
    }
}
