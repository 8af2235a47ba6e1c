using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Markdig;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The optimization log inside the dashboard's reach, as the lab serves it at <c>/record/</c>: the newest
/// naive ÷ optimized ratio of each entry (newest run first, with its commit and conditions) above
/// docs/optimizations.md rendered with its charts.
/// </summary>
public static class RecordPage
{
    public const string Path = LabApi.Record;

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UsePipeTables().UseAutoIdentifiers().Build();

    public static string Render(IReadOnlyList<Headline> headlines, string logFile)
    {
        // The charts' links are relative (charts/…): resolve them under the page's path with or without its slash.
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Optimization record</title>
            <base href="{{Path}}">
            <style>
              body { font-family: system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
              table { border-collapse: collapse; margin: 1rem 0; } td, th { border: 1px solid #ccc; padding: .25rem .5rem; }
              td { font-variant-numeric: tabular-nums; } img { max-width: 100%; } code { background: #f3f3f3; padding: 0 .2rem; }
            </style></head><body>
            <h1>Optimization record</h1>
            """);
        html.Append("<h2 id=\"newest-runs\">Newest runs</h2>\n");
        if (headlines.Count == 0)
        {
            html.Append("<p>No scenario has been run yet: run one from the <code>loadlab</code> resource's commands.</p>\n");
        }
        else
        {
            html.Append("<table><thead><tr><th>scenario</th><th>p99 naive ÷ optimized</th><th>p50 naive ÷ optimized</th><th>conditions</th></tr></thead><tbody>\n");
            foreach (var h in headlines)
            {
                html.Append("<tr><td><code>").Append(Encode(h.Scenario)).Append("</code></td><td>").Append(Encode(h.P99Ratio))
                    .Append("</td><td>").Append(Encode(h.P50Ratio)).Append("</td><td>").Append(Encode(h.Conditions)).Append("</td></tr>\n");
            }

            html.Append("</tbody></table>\n");
        }

        html.Append(File.Exists(logFile)
            ? Markdig.Markdown.ToHtml(File.ReadAllText(logFile), Markdown)
            : $"<p>{Encode(logFile)} has not been generated yet: <code>dotnet run --project src/LoadLab -- log</code>.</p>");
        return html.Append("</body></html>\n").ToString();
    }

    /// <summary>Markup characters escaped, and nothing else: "×" and "÷" stay as they are (the page is UTF-8).</summary>
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private static string Encode(string text) => Html.Encode(text);
}
