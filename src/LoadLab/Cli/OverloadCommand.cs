using System.ComponentModel;
using System.Globalization;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Runs;
using PerfReference.Topology;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PerfReference.LoadLab.Cli;

public sealed class OverloadSettings : TargetSettings
{
    [CommandOption("--variant <VARIANT>")]
    [Description("The variant loaded (naive or optimized); the optimized one when left out.")]
    public string? Variant { get; set; }

    [CommandOption("--capacity <RPS>")]
    [Description("The variant's capacity, requests a second; default: the newest phased capacity search of the scenario under the profile (results/capacity/).")]
    public double? Capacity { get; set; }

    [CommandOption("--factors <LIST>")]
    [Description("The steps, as multiples of the capacity, ascending; 2 must be among them (the step the rule judges).")]
    [DefaultValue(OverloadOptions.DefaultFactors)]
    public string Factors { get; set; } = OverloadOptions.DefaultFactors;

    [CommandOption("--step <DURATION>")]
    [Description("How long each step is held.")]
    [DefaultValue(OverloadOptions.DefaultStep)]
    public string Step { get; set; } = OverloadOptions.DefaultStep;

    [CommandOption("--warmup <DURATION>")]
    [Description("Load at the first step's rate before it, not recorded.")]
    [DefaultValue(OverloadOptions.DefaultWarmup)]
    public string Warmup { get; set; } = OverloadOptions.DefaultWarmup;

    [CommandOption("--slo <DURATION>")]
    [Description("The service level the accepted requests' P99 is held to, and the capacity search's taken; 500ms when left out.")]
    public string? Slo { get; set; }
}

/// <summary>An overload run: one line per step as it ends, then the verdict at twice the capacity; the result file is written at the end.</summary>
public sealed class OverloadCommand(IAnsiConsole console) : AsyncCommand<OverloadSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, OverloadSettings settings, CancellationToken ct)
    {
        var results = RepositoryRoot.Results(settings.Results);
        var options = OverloadOptions.Create(settings.Scenario, settings.Variant, settings.Capacity, settings.Factors, settings.Step, settings.Warmup, settings.Slo,
            settings.Profile, settings.BaseUrl, results, ResultFiles.Capacity.In(results).ReadAll());
        console.MarkupLineInterpolated(
            $"[bold]{options.Scenario.Id}[/] overload, {options.Variant.Label}: capacity {Figures.Rate(options.CapacityRate)} rps ({options.CapacitySource}); steps at {string.Join(", ", options.Factors.Select(f => f.ToString("0.##", CultureInfo.InvariantCulture) + "×"))}, {Durations.Format(options.Step)} each");

        using var telemetry = LabTelemetry.StartExporter();
        using var metrics = new LabMetrics();
        var progress = new SynchronousProgress<OverloadStep>(step => console.MarkupLineInterpolated(
            $"{step.Factor,4:0.##}× {Figures.Rate(step.Rate),6} rps  {Figures.Count(step.Sent),6} sent  {Figures.Count(step.Accepted),6} accepted ({Figures.Rate(step.Goodput)}/s)  {Figures.Count(step.Shed),6} shed  {Figures.Count(step.Failed),5} failed  accepted p99 {Figures.Ms(step.AcceptedP99Ms),6} ms"));
        var outcome = await new OverloadRunner(metrics).RunAsync(options, progress, ct);

        var result = outcome.Result;
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"At {OverloadRule.Factor:0}× capacity: goodput {Figures.Rate(result.Judged?.Goodput ?? 0)}/s of a peak {Figures.Rate(result.PeakGoodput)}/s ({(result.GoodputHeld ? "[green]held[/]" : "[red]not held[/]")}, at least {OverloadRule.GoodputOfPeak * 100:0} %); " +
            $"accepted p99 {Figures.Ms(result.Judged?.AcceptedP99Ms ?? 0)} ms against {Figures.Ms(result.SloP99Ms)} ms ({(result.LatencyHeld ? "[green]held[/]" : "[red]not held[/]")}); admission control {Markup.Escape(result.Admission ?? "unknown")}"));
        LinkLines.Write(console, result.Links);
        console.MarkupLineInterpolated($"Result: [bold]{outcome.Path}[/]  (regenerate the log: dotnet run --project src/LoadLab -- log)");
        return 0;
    }
}
