using System.Text.RegularExpressions;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// Finds figures typed into a hand-written text: a number with a unit of time, size, rate or ratio ("157 ms", "21×",
/// "44 %", "4 requests/s", "95 kB", "2.3–3.3 s"). The texts of docs/log/ hold placeholders instead (<see cref="Placeholders"/>),
/// so that no figure in the log can drift from the results. Code (spans and blocks), placeholders and link targets are
/// not prose and are not searched; a number that is part of a name (PBKDF2, v1.15, ix_2) is no figure.
/// </summary>
public static partial class HandTypedFigures
{
    [GeneratedRegex(@"```.*?```|`[^`\n]*`|\{\{[^{}]*\}\}|\]\([^)]*\)|<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex NotProse();

    [GeneratedRegex(
        @"(?<![\w.\-/])(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?[–-]\s?(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?))?\s?" +
        @"(?:ms|µs|ns|s|secs?|seconds?|mins?|minutes?|h|hours?|×|x|%|req/s|requests/s|requests a second|requests per second|rps|" +
        @"MB/min|MB|MiB|GB|GiB|kB|KB|KiB|B|bytes|Mbit/s|kbit/s|Gbit/s)(?![\w/])")]
    private static partial Regex Figure();

    /// <summary>Each figure typed into the text, with its line number.</summary>
    public static IReadOnlyList<(int Line, string Figure)> In(string text)
    {
        // Blank out what is not prose, keeping the line breaks so that line numbers stay right.
        var prose = NotProse().Replace(text.Replace("\r\n", "\n"), m => new string([.. m.Value.Select(c => c == '\n' ? '\n' : ' ')]));
        return [.. Figure().Matches(prose).Select(m => (prose[..m.Index].Count(c => c == '\n') + 1, m.Value))];
    }
}
