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

public sealed class CapacitySettings : TargetSettings
{
    [CommandOption("--mode <MODE>")]
    [Description("phased: each variant climbs with the system to itself (the capacity to quote); interleaved: all at once, to find where interleaved runs stop being valid.")]
    [DefaultValue("phased")]
    public string Mode { get; set; } = "phased";

    [CommandOption("--slo <DURATION>")]
    [Description("The service level: a step breaks it when its P99 is above this.")]
    [DefaultValue(CapacityOptions.DefaultSlo)]
    public string Slo { get; set; } = CapacityOptions.DefaultSlo;

    [CommandOption("--max-errors <PERCENT>")]
    [Description("A step also breaks the service level when more than this percentage of its requests fail.")]
    [DefaultValue(CapacityOptions.DefaultMaxErrorPercent)]
    public double MaxErrors { get; set; } = CapacityOptions.DefaultMaxErrorPercent;

    [CommandOption("--start-rate <RPS>")]
    [Description("The first step's rate, per variant.")]
    [DefaultValue(CapacityOptions.DefaultStartRate)]
    public double StartRate { get; set; } = CapacityOptions.DefaultStartRate;

    [CommandOption("--factor <FACTOR>")]
    [Description("Each step's rate is the previous one's times this.")]
    [DefaultValue(CapacityOptions.DefaultFactor)]
    public double Factor { get; set; } = CapacityOptions.DefaultFactor;

    [CommandOption("--step <DURATION>")]
    [Description("How long each rate is held.")]
    [DefaultValue(CapacityOptions.DefaultStep)]
    public string Step { get; set; } = CapacityOptions.DefaultStep;

    [CommandOption("--max-rate <RPS>")]
    [Description("The climb stops here even if nothing broke (the capacity is then a lower bound).")]
    [DefaultValue(CapacityOptions.DefaultMaxRate)]
    public double MaxRate { get; set; } = CapacityOptions.DefaultMaxRate;

    [CommandOption("--warmup <DURATION>")]
    [Description("Load at the start rate before each climb, not recorded.")]
    [DefaultValue(CapacityOptions.DefaultWarmup)]
    public string Warmup { get; set; } = CapacityOptions.DefaultWarmup;
}

/// <summary>A capacity search with one line per step as it ends, then each variant's capacity; the result file is written at the end.</summary>
public sealed class CapacityCommand(IAnsiConsole console) : AsyncCommand<CapacitySettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CapacitySettings settings, CancellationToken ct)
    {
        var options = CapacityOptions.Create(settings.Scenario, settings.Mode, settings.Slo, settings.MaxErrors, settings.StartRate, settings.Factor,
            settings.Step, settings.MaxRate, settings.Warmup, settings.Profile, settings.BaseUrl, RepositoryRoot.Results(settings.Results),
            settings.ReadClientLink(RunOptions.DefaultBaseUrlFor(settings.Profile)));
        var rates = string.Join(", ", options.Plan.Rates().Select(Figures.Rate));
        console.MarkupLineInterpolated(
            $"[bold]{options.Scenario.Id}[/] capacity, {options.Mode.ToString().ToLowerInvariant()}: rates {rates} rps per variant, {Durations.Format(options.Plan.Step)} each, until P99 > {Figures.Ms(options.Plan.SloP99Ms)} ms or errors > {options.Plan.MaxErrorPercent} %");

        using var telemetry = LabTelemetry.StartExporter();
        using var metrics = new LabMetrics();
        var progress = new SynchronousProgress<CapacityStep>(step => console.MarkupLineInterpolated(
            $"{step.Variant,-10} {Figures.Rate(step.Rate),6} rps  {Figures.Count(step.Requests),6} requests  {Figures.Count(step.Errors),5} errors  p50 {Figures.Ms(step.P50Ms),6} ms  p99 {Figures.Ms(step.P99Ms),6} ms  {(step.Held ? "held" : "broke: " + step.Reason)}"));
        var outcome = await new CapacityRunner(metrics).RunAsync(options, progress, ct);

        var table = new Table().Title($"Capacity at P99 < {Figures.Ms(outcome.Result.SloP99Ms)} ms, errors ≤ {outcome.Result.MaxErrorPercent} %")
            .AddColumns("variant", "highest sustained rps", "broke at rps", "because");
        foreach (var variant in outcome.Result.Variants)
        {
            table.AddRow(Markup.Escape(variant.Label), CapacityFigures.Sustained(variant), variant.BrokeAtRate is { } rate ? Figures.Rate(rate) : "–",
                Markup.Escape(variant.BrokeBecause ?? "did not break"));
        }

        console.Write(table);
        if (outcome.Result.InterleavingValidBelow is { } valid)
        {
            console.MarkupLineInterpolated($"Interleaved figures are valid below {Figures.Rate(valid)} rps per variant.");
        }

        LinkLines.Write(console, outcome.Result.Links);
        console.MarkupLineInterpolated($"Result: [bold]{outcome.Path}[/]  (regenerate the log: dotnet run --project src/LoadLab -- log)");
        return 0;
    }
}
