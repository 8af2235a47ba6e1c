using System.Text.RegularExpressions;
using Microsoft.Extensions.FileProviders;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
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
        var traces = dashboard is null ? null : new DashboardTraces(dashboard);
        app.MapGet(RecordPage.Path + RecordPage.Entries + "{id}", async (string id, ILogger<DashboardTraces> logger, CancellationToken ct) =>
            PageName().IsMatch(id) && Path.Combine(docsDirectory, LogGenerator.PagesFolder, id + ".md") is var page && File.Exists(page)
                ? Html(traces is null
                    ? RecordPage.Page(id, page, RecordPage.Path + RecordPage.Entries)
                    : await EntryPageWithHeldTracesAsync(id, page, Path.Combine(resultsDirectory, id), traces, logger, ct))
                : TypedResults.NotFound());
        app.MapGet(RecordPage.Path + RecordPage.Log, () => Html(RecordPage.Page("Optimization log", Path.Combine(docsDirectory, LogWriter.LogFile), RecordPage.Path)));
        app.MapGet(RecordPage.Path + RecordPage.Reliability, () =>
            Html(RecordPage.Page("Reliability drills", Path.Combine(docsDirectory, LogWriter.ReliabilityFile), RecordPage.Path)));
        app.MapGet(LabApi.Headlines, () => TypedResults.Ok(RecordHeadlines.Of(LogInputs.Read(resultsDirectory)).ToArray()));
        return app;
    }

    /// <summary>
    /// An entry's page while the system runs: above it the entry's newest kept pair that this dashboard holds, and every trace
    /// id on it that the dashboard holds linked to its page there. When the dashboard does not answer, the page as generated.
    /// </summary>
    private static async Task<string> EntryPageWithHeldTracesAsync(
        string id, string page, string scenarioResults, DashboardTraces traces, ILogger logger, CancellationToken ct)
    {
        var held = HeldTraces.Of(traces);
        try
        {
            var pair = await held.NewestPairAsync(RunTraces.ReadAll(scenarioResults), id, ct);
            var html = RecordPage.Page(id, page, RecordPage.Path + RecordPage.Entries, RecordPage.TracesInThisDashboard(id, pair));
            return TraceLinks.Link(html, traces.Dashboard, await held.OfAsync(TraceLinks.Ids(html), ct));
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            logger.LogWarning(ex, "The dashboard's telemetry API did not answer; the page of {Entry} shows no trace of this dashboard", id);
            return RecordPage.Page(id, page, RecordPage.Path + RecordPage.Entries);
        }
    }

    private static IResult Html(string html) => TypedResults.Content(html, "text/html; charset=utf-8");
}
