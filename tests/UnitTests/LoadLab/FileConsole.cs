using Spectre.Console;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>The lab's command line as a file sees it (not a terminal: no colour, no cursor, nothing interactive), its text kept.</summary>
internal static class FileConsole
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string[] args, int width = 1000)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = width;

        var exitCode = await PerfReference.LoadLab.Cli.LabApp.RunAsync(args, console, TestContext.Current.CancellationToken);
        return (exitCode, output.ToString());
    }
}
