using System.Globalization;
using System.Text.RegularExpressions;

namespace PerfReference.Topology;

/// <summary>
/// Durations as a command line writes them — 500ms, 30s, 2m, 1h (one number, one unit) — in the lab's options, its
/// serve API and the AppHost's configuration of the dashboard's commands.
/// </summary>
public static partial class Durations
{
    /// <summary>The duration the text writes; null when it is not one.</summary>
    public static TimeSpan? Parse(string text)
    {
        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        var value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            "m" => TimeSpan.FromMinutes(value),
            _ => TimeSpan.FromHours(value),
        };
    }

    /// <summary>The shortest exact text for a duration: 30s, 1.5s, 250ms.</summary>
    public static string Format(TimeSpan span) =>
        span.Ticks % TimeSpan.TicksPerSecond == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalSeconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0.###}ms");

    [GeneratedRegex(@"^(?<value>\d+(\.\d+)?)(?<unit>ms|s|m|h)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
