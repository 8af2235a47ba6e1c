using System.ComponentModel;
using System.Globalization;
using PerfReference.LoadLab.Drills;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;
using PerfReference.Topology;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PerfReference.LoadLab.Cli;

public sealed class ListSettings : CommandSettings
{
    [CommandOption("--scenarios")]
    [Description("Only the scenarios' ids, one a line, for a script to run each with its own load (scripts/measure-all.sh).")]
    public bool ScenarioIds { get; set; }

    [CommandOption("--drills")]
    [Description("Only the drills' ids, one a line, in the catalog's order, for a script to run each (scripts/measure-drills.sh).")]
    public bool DrillIds { get; set; }

    [CommandOption("--measured-on <WHERE>")]
    [Description("With --scenarios: only those the log quotes from network (the system's profile), database (loopback, the default data set) or soak runs.")]
    public string? MeasuredOn { get; set; }

    public override ValidationResult Validate() =>
        MeasuredOn is not null && (!ScenarioIds || !Enum.TryParse<MeasuredOn>(MeasuredOn, ignoreCase: true, out _) || int.TryParse(MeasuredOn, out _))
            ? ValidationResult.Error("--measured-on goes with --scenarios and is one of: network, database, soak.")
            : ValidationResult.Success();
}

/// <summary>The catalog (what each entry's naive code and fix are, and what proves the difference), the lab's scenarios with their loads, and its drills.</summary>
public sealed class ListCommand(IAnsiConsole console) : Command<ListSettings>
{
    public override int Execute(CommandContext context, ListSettings settings, CancellationToken ct)
    {
        if (settings.DrillIds)
        {
            foreach (var drill in DrillCatalog.All)
            {
                console.WriteLine(drill.Id);
            }

            return 0;
        }

        if (settings.ScenarioIds)
        {
            var where = settings.MeasuredOn is { } text ? Enum.Parse<MeasuredOn>(text, ignoreCase: true) : (MeasuredOn?)null;
            foreach (var scenario in ScenarioTable.All.Where(s => where is null || s.Facts.MeasuredOn == where))
            {
                console.WriteLine(scenario.Id);
            }

            return 0;
        }

        var catalog = new Table().Title("The optimization catalog").AddColumns("entry", "naive", "optimized", "proving metric", "built");
        foreach (var entry in PerfCatalog.All)
        {
            catalog.AddRow(Markup.Escape(entry.Id), Markup.Escape(entry.Naive), Markup.Escape(entry.Optimized), Markup.Escape(entry.ProvingMetric),
                entry.IsBuilt ? "yes" : "[grey]not yet[/]");
        }

        console.Write(catalog);

        var scenarios = new Table().Title("Scenarios (run with: run <id>; the load is the scenario's own unless given)").AddColumns("scenario", "title", "request", "variants", "load");
        foreach (var scenario in ScenarioTable.All)
        {
            var variants = string.Join("\n", scenario.Variants(journey: false).Select(v => $"{v.Label}: {v.Header}"));
            var load = $"{Describe(scenario.Facts.Load)}, measured on {scenario.Facts.MeasuredOn.ToString().ToLowerInvariant()}";
            if (scenario.HasJourney)
            {
                variants += $"\n--journey: {string.Join(" → ", scenario.Variants(journey: true).Select(v => v.Label))}";
                load += $"\n--journey: {Describe(scenario.Facts.JourneyLoad!)}";
            }

            foreach (var (client, clientLoad) in scenario.Facts.ClientLinkLoads)
            {
                load += $"\n--client-profile {client}: {Describe(clientLoad)}";
            }

            scenarios.AddRow(Markup.Escape(scenario.Id), Markup.Escape(scenario.Title), Markup.Escape(scenario.Request), Markup.Escape(variants), Markup.Escape(load));
        }

        console.Write(scenarios);
        var drills = new Table().Title("Drills (run with: drill <id>)").AddColumns("drill", "fault", "expected");
        foreach (var drill in DrillCatalog.All)
        {
            drills.AddRow(Markup.Escape(drill.Id), Markup.Escape(drill.Title), Markup.Escape(drill.Expectation));
        }

        console.Write(drills);

        var passes = new Table().Title("What scripts/measure-all.sh <arguments> runs: each scenario above with its own load, "
                                       + $"{MeasurementPasses.Repeats} times (setups, cold starts and the lab's start come on top of the load time)")
            .AddColumns("arguments", "the system started with", "runs", "load time");
        foreach (var pass in MeasurementPasses.All)
        {
            passes.AddRow(Markup.Escape(pass.Arguments), Markup.Escape(pass.StartedWith),
                Markup.Escape(string.Join(", ", pass.Runs.Select(r => $"{r.Scenario.Id}{(r.Journey ? " --journey" : "")}{(r.ClientProfile is { } client ? $" --client-profile {client}" : "")} ×{r.Times}"))),
                Markup.Escape(Minutes(pass.LoadTime)));
        }

        console.Write(passes);
        var without = PerfCatalog.Built.Where(entry => ScenarioTable.Find(entry.Id) is null).Select(entry => entry.Id).ToArray();
        if (without.Length > 0)
        {
            console.MarkupLineInterpolated($"Built entries without a lab scenario yet: {string.Join(", ", without)}");
        }

        return 0;
    }

    /// <summary>"at least 83 min".</summary>
    private static string Minutes(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"at least {Math.Ceiling(time.TotalMinutes):0} min");

    /// <summary>"4 rps for 150s after 5s of warm-up".</summary>
    private static string Describe(ScenarioLoad load) => string.Create(CultureInfo.InvariantCulture,
        $"{load.Rate:0.###} rps for {Durations.Format(load.Duration)} after {Durations.Format(load.Warmup)} of warm-up");
}
