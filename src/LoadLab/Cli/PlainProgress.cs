using Spectre.Console;

namespace PerfReference.LoadLab.Cli;

/// <summary>
/// Progress for an output that is not a terminal (a log file, CI, a pipe), where a live display would be redrawn into a
/// wall of text: a plain line every <see cref="Every"/> at most, with how long the work has run, until it ends.
/// </summary>
public static class PlainProgress
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    /// <param name="line">What to say now; null while there is nothing to say yet (the setup is still running).</param>
    public static async Task WriteAsync(IAnsiConsole console, Task work, Func<string?> line, TimeSpan? every = null)
    {
        var started = DateTime.UtcNow;
        while (await Task.WhenAny(work, Task.Delay(every ?? Every, CancellationToken.None)) != work)
        {
            if (line() is { } text)
            {
                console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{(DateTime.UtcNow - started).TotalSeconds:F0} s] {text}"));
            }
        }
    }
}
