using PerfReference.LoadLab.Drills;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PerfReference.LoadLab.Cli;

/// <summary>The catalog (what each entry's naive code and fix are, and what proves the difference), the lab's scenarios and its drills.</summary>
public sealed class ListCommand(IAnsiConsole console) : Command
{
    public override int Execute(CommandContext context, CancellationToken ct)
    {
        var catalog = new Table().Title("The optimization catalog").AddColumns("entry", "naive", "optimized", "proving metric", "built");
        foreach (var entry in PerfCatalog.All)
        {
            catalog.AddRow(Markup.Escape(entry.Id), Markup.Escape(entry.Naive), Markup.Escape(entry.Optimized), Markup.Escape(entry.ProvingMetric),
                entry.IsBuilt ? "yes" : "[grey]not yet[/]");
        }

        console.Write(catalog);

        var scenarios = new Table().Title("Scenarios").AddColumns("scenario", "title", "request", "variants");
        foreach (var scenario in ScenarioTable.All)
        {
            var variants = string.Join("\n", scenario.Variants(journey: false).Select(v => $"{v.Label}: {v.Header}"));
            if (scenario.HasJourney)
            {
                variants += $"\n--journey: {string.Join(" → ", scenario.Variants(journey: true).Select(v => v.Label))}";
            }

            scenarios.AddRow(Markup.Escape(scenario.Id), Markup.Escape(scenario.Title), Markup.Escape(scenario.Request), Markup.Escape(variants));
        }

        console.Write(scenarios);
        var drills = new Table().Title("Drills (run with: drill <id>)").AddColumns("drill", "fault", "expected");
        foreach (var drill in DrillCatalog.All)
        {
            drills.AddRow(Markup.Escape(drill.Id), Markup.Escape(drill.Title), Markup.Escape(drill.Expectation));
        }

        console.Write(drills);
        var without = PerfCatalog.Built.Where(entry => ScenarioTable.Find(entry.Id) is null).Select(entry => entry.Id).ToArray();
        if (without.Length > 0)
        {
            console.MarkupLineInterpolated($"Built entries without a lab scenario yet: {string.Join(", ", without)}");
        }

        return 0;
    }
}
