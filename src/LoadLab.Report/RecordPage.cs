using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The optimization record inside the dashboard's reach, as the lab serves it: at <c>/record/</c> an index that fits a
/// screen — each entry's headline by its own proving metric, linked to its page — and under it each entry's generated page
/// (<c>/record/entries/&lt;id&gt;</c>, docs/entries/&lt;id&gt;.md rendered with its charts), the log's index
/// (<c>/record/log</c>) and the reliability drills (<c>/record/reliability</c>). Links between the generated pages follow
/// them here.
/// </summary>
public static class RecordPage
{
    public const string Path = LabApi.Record;

    public const string Entries = "entries/";

    public const string Log = "log";

    public const string Reliability = "reliability";

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UsePipeTables().UseAutoIdentifiers().Build();

    /// <summary>Markup characters escaped, and nothing else: "×" and "÷" stay as they are (the page is UTF-8).</summary>
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Index(IReadOnlyList<Quote> quotes)
    {
        var html = Start("Optimization record", Path);
        // One screen: every entry on a line of its own.
        html.Append("<style>body { font-size: 14px; } h1 { margin: 0 0 .4rem; } td, th { padding: .1rem .4rem; white-space: nowrap; } td.figures { white-space: normal; }</style>\n");
        html.Append("<h1>Optimization record</h1>\n");
        if (quotes.Count == 0)
        {
            html.Append("<p>No scenario has been run yet: run one from the <code>loadlab</code> resource's commands.</p>\n");
        }
        else
        {
            html.Append("<p>Each entry by the metric that proves it, naive against optimized, from the newest result files. " +
                        "An entry's page has the runs, the conditions, the bound and the command.</p>\n");
            html.Append("<table><thead><tr><th>entry</th><th>proved by</th><th>naive → optimized</th><th>better by</th><th>measured</th></tr></thead><tbody>\n");
            foreach (var q in quotes)
            {
                html.Append("<tr><td><a href=\"").Append(Entries).Append(Encode(q.Scenario)).Append("\"><code>").Append(Encode(q.Scenario)).Append("</code></a></td><td>")
                    .Append(Encode(q.Metric)).Append("</td><td class=\"figures\">").Append(Encode($"{q.Naive} → {q.Optimized}")).Append("</td><td>").Append(Encode(q.Median))
                    .Append("</td><td>").Append(Encode($"{q.Count}, {Figures.Date(q.Newest)}")).Append("</td></tr>\n");
            }

            html.Append("</tbody></table>\n");
        }

        html.Append("<p><a href=\"").Append(Log).Append("\">The whole optimization log</a> (the findings, the catalog, capacity at a glance, the goals) · ")
            .Append("<a href=\"").Append(Reliability).Append("\">The reliability drills</a></p>\n");
        return html.Append("</body></html>\n").ToString();
    }

    /// <summary>
    /// A generated Markdown page rendered, its links to other generated pages pointing at their place in the record and
    /// its relative images resolved from <paramref name="baseHref"/> (the page's folder), or a note that it is not generated yet.
    /// </summary>
    /// <param name="lead">Markdown shown above the page (what the running system adds to it, e.g. <see cref="TracesInThisDashboard"/>); none when null.</param>
    public static string Page(string title, string markdownFile, string baseHref, string? lead = null)
    {
        var html = Start(title, baseHref);
        html.Append("<p><a href=\"").Append(Path).Append("\">The optimization record</a></p>\n");
        if (lead is not null)
        {
            html.Append(Render(lead));
        }

        if (!File.Exists(markdownFile))
        {
            html.Append("<p>").Append(Encode(markdownFile)).Append(" has not been generated yet: <code>dotnet run --project src/LoadLab -- log</code>.</p>\n");
        }
        else
        {
            html.Append(Render(File.ReadAllText(markdownFile)));
        }

        return html.Append("</body></html>\n").ToString();
    }

    /// <summary>The heading of what an entry's page shows of the running system's own traces.</summary>
    public const string InThisDashboard = "In this dashboard";

    /// <summary>
    /// Above an entry's page while the system runs: the entry's newest kept trace pair that this dashboard still holds
    /// (<paramref name="held"/>), whose ids the record links to the dashboard's trace pages. The page below it is the
    /// committed log, whose pair came from a run of another system, which no newly started dashboard holds.
    /// </summary>
    public static string TracesInThisDashboard(string scenario, RunTraces? held)
    {
        var md = new StringBuilder().Append("## ").Append(InThisDashboard).Append("\n\n");
        if (held is null)
        {
            return md.Append("This dashboard holds no trace that a run of `").Append(scenario)
                .Append("` kept. Run the scenario from the `loadlab` resource's commands: its naive and optimized requests ")
                .Append("nearest each variant's p50 and P99 show here, each linked to its trace in the dashboard.\n").ToString();
        }

        md.Append(CultureInfo.InvariantCulture, $"The run of {held.StartedUtc:yyyy-MM-dd HH:mm:ss} UTC (`results/{held.Scenario}/{held.Result}`): ")
            .Append("the requests nearest each variant's p50 and P99, each linked to its trace in this dashboard, to open span by span.\n\n");
        TraceDiffSection.AppendRequests(md, held);
        return md.ToString();
    }

    /// <summary>Markdown as the record serves it: links between generated pages routed to their place in the record (<see cref="Route"/>).</summary>
    private static string Render(string markdown)
    {
        var document = Markdig.Markdown.Parse(markdown, Markdown);
        foreach (var link in document.Descendants<LinkInline>().Where(l => !l.IsImage && l.Url is not null))
        {
            link.Url = Route(link.Url!);
        }

        return document.ToHtml(Markdown);
    }

    /// <summary>A link between generated pages, as the record serves them: "entries/x.md" → "entries/x", "../optimizations.md" → "../log".</summary>
    public static string Route(string url)
    {
        if (url.Contains(':', StringComparison.Ordinal) || url.StartsWith('#'))
        {
            return url;
        }

        var (target, fragment) = url.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? (url[..hash], url[hash..]) : (url, "");
        var file = System.IO.Path.GetFileName(target);
        var folder = target[..^file.Length];
        return file switch
        {
            LogWriter.LogFile => folder + Log + fragment,
            LogWriter.ReliabilityFile => folder + Reliability + fragment,
            _ when file.EndsWith(".md", StringComparison.Ordinal) && (folder.EndsWith(Entries, StringComparison.Ordinal) || folder.Length == 0) =>
                folder + file[..^".md".Length] + fragment,
            _ => url,
        };
    }

    private static StringBuilder Start(string title, string baseHref) => new StringBuilder().Append($$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{Encode(title)}}</title>
        <base href="{{baseHref}}">
        <style>
          body { font-family: system-ui, sans-serif; max-width: 75rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.4; }
          table { border-collapse: collapse; margin: 1rem 0; } td, th { border: 1px solid #ccc; padding: .2rem .45rem; text-align: left; }
          td { font-variant-numeric: tabular-nums; } img { max-width: 100%; } code { background: #f3f3f3; padding: 0 .2rem; }
          details { margin: .5rem 0 1rem; } summary { cursor: pointer; color: #444; }
        </style></head><body>

        """);

    private static string Encode(string text) => Html.Encode(text);
}
