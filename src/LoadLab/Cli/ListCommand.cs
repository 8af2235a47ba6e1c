using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PerfReference.LoadLab.Cli;

public sealed class ListCommand(IAnsiConsole console) : Command
{
    public override int Execute(CommandContext context, CancellationToken ct)
    {
        var table = new Table().AddColumns("scenario", "title", "request", "variants");
        foreach (var scenario in ScenarioTable.All)
        {
            var variants = string.Join("\n", scenario.Variants(journey: false).Select(v => $"{v.Label}: {v.Header}"));
            if (scenario.HasJourney)
            {
                variants += $"\n--journey: {string.Join(" → ", scenario.Variants(journey: true).Select(v => v.Label))}";
            }

            table.AddRow(Markup.Escape(scenario.Id), Markup.Escape(scenario.Title), Markup.Escape(scenario.Request), Markup.Escape(variants));
        }

        console.Write(table);
        var without = PerfCatalog.All.Where(entry => ScenarioTable.Find(entry.Id) is null).Select(entry => entry.Id);
        console.MarkupLineInterpolated($"Catalog entries without a lab scenario yet: {string.Join(", ", without)}");
        return 0;
    }
}
