using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace PerfReference.LoadLab.Traces;

/// <summary>
/// While the system runs, the record page links each trace id an entry's page shows (a kept pair's, in <c>code</c>) to the
/// dashboard's page of that trace, which opens it span by span — but only an id the dashboard still holds
/// (<see cref="HeldTraces"/>): it keeps the newest traces of this run of the AppHost alone, so the ids of the committed log,
/// measured on another system, stay plain text rather than links to "trace not found". Without a dashboard the page is as generated.
/// </summary>
public static partial class TraceLinks
{
    [GeneratedRegex("<code>([0-9a-f]{32})</code>")]
    private static partial Regex TraceId();

    /// <summary>The trace ids a rendered page shows.</summary>
    public static IReadOnlyList<string> Ids(string html) => [.. TraceId().Matches(html).Select(match => match.Groups[1].Value).Distinct()];

    public static string Link(string html, DashboardAccess? dashboard, IReadOnlySet<string> held) => dashboard is null
        ? html
        : TraceId().Replace(html, id => held.Contains(id.Groups[1].Value)
            ? $"<a href=\"{HtmlEncoder.Default.Encode(dashboard.TracePage(id.Groups[1].Value).ToString())}\">{id.Value}</a>"
            : id.Value);
}
