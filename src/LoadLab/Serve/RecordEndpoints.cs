using Microsoft.Extensions.FileProviders;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Serve;

/// <summary>
/// The record in the dashboard's reach: <c>/record/</c> is the optimization log as a page (<see cref="RecordPage"/>) with
/// its charts, <c>/record/headlines</c> the newest ratio of each scenario as data, which the AppHost shows in the loadlab
/// resource's details. Both read the files on every request, so a run that just finished, or a log just regenerated,
/// shows on the next reload.
/// </summary>
public static class RecordEndpoints
{
    public static WebApplication MapRecord(this WebApplication app, string docsDirectory, string resultsDirectory)
    {
        var charts = Directory.CreateDirectory(Path.Combine(docsDirectory, LogWriter.ChartsFolder)).FullName;
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(charts), RequestPath = RecordPage.Path + LogWriter.ChartsFolder });
        app.MapGet(RecordPage.Path, () => TypedResults.Content(
            RecordPage.Render(Headline.Newest(ResultFiles.Runs.In(resultsDirectory).ReadAll()), Path.Combine(docsDirectory, LogWriter.LogFile)),
            "text/html; charset=utf-8"));
        app.MapGet(LabApi.Headlines, () => TypedResults.Ok(Headline.Newest(ResultFiles.Runs.In(resultsDirectory).ReadAll())
            .Select(h => new RecordHeadline(h.Scenario, h.P99Ratio, h.Conditions)).ToArray()));
        return app;
    }
}
