using System.ComponentModel;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PerfReference.LoadLab.Cli;

public sealed class LogSettings : CommandSettings
{
    [CommandOption("--results <DIR>")]
    [Description("The result files (default: results/ in the repository).")]
    public string? Results { get; set; }

    [CommandOption("--out <FILE>")]
    [Description("The log's index to write (default: docs/optimizations.md); the entries' pages go to entries/ and the charts to charts/ beside it.")]
    public string? Out { get; set; }

    [CommandOption("--texts <DIR>")]
    [Description("The hand-written entry texts, <entry-id>.md, their figures placeholders (default: log/ beside the log file).")]
    public string? Texts { get; set; }
}

/// <summary>Regenerates the optimization log (its index, its entries' pages and its charts), the reliability log of the drills, the capacity plan, and the README's findings.</summary>
public sealed class LogCommand(IAnsiConsole console) : Command<LogSettings>
{
    public override int Execute(CommandContext context, LogSettings settings, CancellationToken ct)
    {
        var written = LogWriter.Write(
            RepositoryRoot.Results(settings.Results),
            settings.Out is null ? Path.Combine(RepositoryRoot.Docs(null), LogWriter.LogFile) : Path.GetFullPath(settings.Out),
            settings.Texts is null ? null : Path.GetFullPath(settings.Texts),
            settings.Out is null && RepositoryRoot.Find() is { } root ? Path.Combine(root, "README.md") : null); // the repository's own log: its README too
        console.MarkupLineInterpolated(
            $"Wrote {written.Markdown}, {written.Pages} page(s) and {written.Charts} chart(s) from {written.Results} run result(s), and {written.Reliability} from {written.Drills} drill result(s).");
        if (written.Scaling is not null)
        {
            console.MarkupLineInterpolated($"Wrote the capacity plan {written.Scaling}.");
        }

        if (written.Readme is not null)
        {
            console.MarkupLineInterpolated($"Rewrote the findings in {written.Readme}.");
        }
        return 0;
    }
}
