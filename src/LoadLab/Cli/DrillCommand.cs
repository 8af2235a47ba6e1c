using System.ComponentModel;
using Microsoft.Extensions.Configuration;
using PerfReference.LoadLab.Drills;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PerfReference.LoadLab.Cli;

public sealed class DrillSettings : CommandSettings
{
    [CommandArgument(0, "<drill>")]
    [Description("A drill id (see list).")]
    public string Drill { get; set; } = "";

    [CommandOption("--rate <CHECKOUTS_PER_SECOND>")]
    [Description("Checkouts started per second (open loop); 8 when left out.")]
    public double? Rate { get; set; }

    [CommandOption("--duration <DURATION>")]
    [Description("How long the load runs; the fault comes after the drill's baseline (at most a third of it); 75s when left out.")]
    public string? Duration { get; set; }

    [CommandOption("--base-url <URL>")]
    [Description("OrdersService's address (default: its own port on this machine).")]
    public string? BaseUrl { get; set; }

    [CommandOption("--ordersdb <CONNECTION_STRING>")]
    [Description("The orders database (default: ConnectionStrings__ordersdb; the dashboard shows it under ordersdb).")]
    public string? OrdersDb { get; set; }

    [CommandOption("--payments <URL>")]
    [Description("The payment provider's gRPC address (default: services__payments__grpc__0).")]
    public string? Payments { get; set; }

    [CommandOption("--admin-key <KEY>")]
    [Description("The payment provider's admin key, the AppHost's payments-admin-key parameter (default: LoadLab__PaymentsAdminKey).")]
    public string? AdminKey { get; set; }

    [CommandOption("--redis <HOST:PORT>")]
    [Description("The Redis server (default: ConnectionStrings__cache).")]
    public string? Redis { get; set; }

    [CommandOption("--results <DIR>")]
    [Description("Where result files go (default: results/drills/ in the repository).")]
    public string? Results { get; set; }
}

/// <summary>Runs one fault drill and writes its result; `log` turns the results into docs/reliability.md.</summary>
public sealed class DrillCommand(IAnsiConsole console) : AsyncCommand<DrillSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, DrillSettings settings, CancellationToken ct)
    {
        var connections = DrillConnections.From(new ConfigurationBuilder().AddEnvironmentVariables().Build(),
            settings.BaseUrl, settings.OrdersDb, settings.Payments, settings.AdminKey, settings.Redis);
        var options = DrillOptions.Create(settings.Drill, settings.Rate, settings.Duration, connections.Topology());
        var drill = options.Drill;

        console.MarkupLineInterpolated($"[bold]{drill.Id}[/] — {drill.Title}: {Figures.Rate(options.Rate)} checkouts/s for {Durations.Format(options.Duration)}, the fault at {options.FaultAt.TotalSeconds:0} s");
        await using var drillContext = connections.Open();
        var result = await new DrillRunner(drillContext).RunAsync(options, new Progress<string>(step => console.MarkupLineInterpolated($"[grey]{step}[/]")), ct);
        var path = await ResultFiles.Drills.In(RepositoryRoot.Results(settings.Results)).WriteAsync(result, ct);

        console.MarkupLineInterpolated($"{result.Checkouts} checkouts, {result.Accepted} accepted, answers: {string.Join(", ", result.Answers.Select(a => $"{a.Key} × {a.Value}"))}");
        console.MarkupLineInterpolated($"books: {result.Books.LostOrders} lost, {result.Books.DoubleCharges} charged twice, {result.Books.ChargedWithoutOrder + result.Books.HeldWithoutOrder} charged or held without order, {result.Books.WrongBalances} wrong balances; admission control {result.Admission ?? "unknown"}");
        foreach (var variant in result.Variants ?? [])
        {
            console.MarkupLineInterpolated(
                $"{variant.Variant,-10} {variant.Checkouts} checkouts, {variant.Accepted} accepted, {variant.GaveUp} given up ({variant.GaveUpPercent:0.#} %), {variant.StoredButUnacknowledged} stored but unacknowledged; P99 before {Figures.Ms(variant.BaselineP99Ms)} ms, back within {AvailabilityRule.P99OfBaseline:0.#}× {(variant.RecoverySeconds is { } seconds ? $"{seconds:0.#} s" : "not within the run")} after the fault — {(variant.Passed ? "passed" : "failed")}");
        }
        foreach (var finding in result.Books.Findings)
        {
            console.MarkupLineInterpolated($"[yellow]{finding}[/]");
        }

        console.MarkupLineInterpolated($"{(result.Passed ? "[green]passed[/]" : "[red]FAILED[/]")} — {path}");
        return result.Passed ? 0 : 1;
    }
}
