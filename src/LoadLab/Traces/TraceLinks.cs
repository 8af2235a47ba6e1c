using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace PerfReference.LoadLab.Traces;

/// <summary>
/// While the system runs, the record page links each trace id an entry's page shows (its kept pair, in <c>code</c>) to the
/// dashboard's page of that trace, which opens it span by span beside the others of the run — as long as the dashboard
/// still holds it (it keeps the newest traces, and nothing after the AppHost stops). Without a dashboard the page is as generated.
/// </summary>
public static partial class TraceLinks
{
    [GeneratedRegex("<code>([0-9a-f]{32})</code>")]
    private static partial Regex TraceId();

    public static string Link(string html, DashboardAccess? dashboard) => dashboard is null
        ? html
        : TraceId().Replace(html, id =>
            $"<a href=\"{HtmlEncoder.Default.Encode(dashboard.TracePage(id.Groups[1].Value).ToString())}\">{id.Value}</a>");
}
