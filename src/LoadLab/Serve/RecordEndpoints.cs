using System.Text.RegularExpressions;
using Microsoft.Extensions.FileProviders;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Traces;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Serve;

/// <summary>
/// The record in the dashboard's reach (<see cref="RecordPage"/>): <c>/record/</c> the index of the entries' headlines,
/// <c>/record/entries/&lt;id&gt;</c> an entry's page, <c>/record/log</c> the log's index, <c>/record/reliability</c> the
/// drills, <c>/record/charts/</c> the charts; <c>/record/headlines</c> the headlines as data, which the AppHost shows in
/// the loadlab resource's details. All read the files on every request, so a run that just finished, or a log just
/// regenerated, shows on the next reload.
/// </summary>
public static partial class RecordEndpoints
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex PageName();

    /// <param name="dashboard">The dashboard of the running system: an entry's kept traces link to it (<see cref="TraceLinks"/>).</param>
    public static WebApplication MapRecord(this WebApplication app, string docsDirectory, string resultsDirectory, DashboardAccess? dashboard = null)
    {
        var charts = Directory.CreateDirectory(Path.Combine(docsDirectory, LogWriter.ChartsFolder)).FullName;
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(charts), RequestPath = RecordPage.Path + LogWriter.ChartsFolder });
        app.MapGet(RecordPage.Path, () => Html(RecordPage.Index(ProvingMetrics.Quotes(LogInputs.Read(resultsDirectory)))));
        app.MapGet(RecordPage.Path + RecordPage.Entries + "{id}", (string id) =>
            PageName().IsMatch(id) && Path.Combine(docsDirectory, LogGenerator.PagesFolder, id + ".md") is var page && File.Exists(page)
                ? Html(TraceLinks.Link(RecordPage.Page(id, page, RecordPage.Path + RecordPage.Entries), dashboard))
                : TypedResults.NotFound());
        app.MapGet(RecordPage.Path + RecordPage.Log, () => Html(RecordPage.Page("Optimization log", Path.Combine(docsDirectory, LogWriter.LogFile), RecordPage.Path)));
        app.MapGet(RecordPage.Path + RecordPage.Reliability, () =>
            Html(RecordPage.Page("Reliability drills", Path.Combine(docsDirectory, LogWriter.ReliabilityFile), RecordPage.Path)));
        app.MapGet(LabApi.Headlines, () => TypedResults.Ok(RecordHeadlines.Of(LogInputs.Read(resultsDirectory)).ToArray()));
        return app;
    }

    private static IResult Html(string html) => TypedResults.Content(html, "text/html; charset=utf-8");
}
