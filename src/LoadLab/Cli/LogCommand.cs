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
    [Description("The log to write (default: docs/optimizations.md); charts go to charts/ beside it.")]
    public string? Out { get; set; }

    [CommandOption("--texts <DIR>")]
    [Description("The hand-written entry texts, <entry-id>.md (default: log/ beside the log file).")]
    public string? Texts { get; set; }
}

/// <summary>Regenerates the optimization log and its charts, and the reliability log of the drills.</summary>
public sealed class LogCommand(IAnsiConsole console) : Command<LogSettings>
{
    public override int Execute(CommandContext context, LogSettings settings, CancellationToken ct)
    {
        var written = LogWriter.Write(
            RepositoryRoot.Results(settings.Results),
            settings.Out is null ? Path.Combine(RepositoryRoot.Docs(null), LogWriter.LogFile) : Path.GetFullPath(settings.Out),
            settings.Texts is null ? null : Path.GetFullPath(settings.Texts),
            settings.Out is null && RepositoryRoot.Find() is { } root ? Path.Combine(root, "README.md") : null); // the repository's own log: its README too
        console.MarkupLineInterpolated($"Wrote {written.Markdown} and {written.Charts} chart(s) from {written.Results} result file(s), and {written.Reliability} from {written.Drills} drill result(s).");
        if (written.Readme is not null)
        {
            console.MarkupLineInterpolated($"Rewrote the headline ratios in {written.Readme}.");
        }
        return 0;
    }
}
