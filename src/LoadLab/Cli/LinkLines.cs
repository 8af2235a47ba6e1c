using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using Spectre.Console;

namespace PerfReference.LoadLab.Cli;

/// <summary>The links' measured round trips after a run, a search or a sweep: one line each, those over their profile in yellow.</summary>
internal static class LinkLines
{
    public static void Write(IAnsiConsole console, IReadOnlyList<LinkRoundTrip>? links)
    {
        if (links is { Count: 0 })
        {
            console.WriteLine(LinkTable.NoLinks);
        }

        foreach (var link in links ?? [])
        {
            var line = Markup.Escape(LinkTable.Line(link));
            console.MarkupLine(link.OverProfile ? $"[yellow]{line}[/]" : line);
        }
    }
}
