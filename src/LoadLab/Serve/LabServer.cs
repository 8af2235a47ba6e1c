using Microsoft.AspNetCore.Http.HttpResults;
using PerfReference.LoadLab.Drills;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Runs;
using PerfReference.LoadLab.Traces;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Serve;

/// <summary>
/// The lab as a service of the AppHost: <c>POST /runs</c> starts a run in the background (one at a
/// time), <c>GET /runs/current</c> tells how it goes; <c>POST /drills</c> and <c>GET /drills/current</c> the same for a
/// fault drill. The dashboard's commands call these, and scripts/measure-drills.sh.
/// <c>/record/</c> is the optimization log as a page, linked from the loadlab resource.
/// </summary>
public static class LabServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(LabMetrics.MeterName));
        builder.Services.AddSingleton<LabMetrics>();
        // The dashboard the AppHost handed the lab (its telemetry API): each run keeps its representative traces from it.
        var dashboard = DashboardAccess.Given();
        builder.Services.AddSingleton(services => new LabRunner(services.GetRequiredService<LabMetrics>(), dashboard));
        builder.Services.AddSingleton<LabSlot>();
        builder.Services.AddSingleton<RunCoordinator>();
        builder.Services.AddSingleton<DrillCoordinator>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, LabApiJsonContext.Default));

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapPost(LabApi.Runs, StartRun);
        app.MapGet(LabApi.CurrentRun, (RunCoordinator runs) => TypedResults.Ok(runs.Status()));
        app.MapPost(LabApi.Drills, StartDrill);
        app.MapGet(LabApi.CurrentDrill, (DrillCoordinator drills) => TypedResults.Ok(drills.Status()));
        app.MapRecord(
            RepositoryRoot.Docs(app.Configuration["LoadLab:Docs"]),
            RepositoryRoot.Results(app.Configuration["LoadLab:Results"]),
            dashboard);
        await app.RunAsync();
        return 0;
    }

    /// <summary>Starts a drill unless the lab is busy (a drill or a scenario run: they would measure each other).</summary>
    private static Results<Accepted, ProblemHttpResult> StartDrill(DrillRequest request, DrillCoordinator drills, LabSlot slot)
    {
        DrillOptions options;
        try
        {
            options = drills.Prepare(request);
        }
        catch (LabInputException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The drill request is not valid", detail: ex.Message);
        }

        return drills.TryStart(options)
            ? TypedResults.Accepted((string?)null)
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The lab is busy", detail: $"{slot.Busy ?? "Something"} is in progress; wait for it.");
    }

    /// <summary>Starts a run unless the lab is busy (a run or a drill: they would measure each other).</summary>
    private static Results<Accepted<RunStatus>, ProblemHttpResult> StartRun(RunRequest request, RunCoordinator runs, LabSlot slot, IConfiguration configuration)
    {
        RunOptions options;
        try
        {
            options = RunOptions.Create(
                request.Scenario ?? "",
                request.Rate,
                request.Duration,
                request.Warmup,
                request.Profile ?? configuration["LoadLab:NetworkProfile"] ?? NetworkProfile.Loopback.Name,
                configuration["LoadLab:BaseUrl"] ?? configuration["services:orders:http:0"] ?? OrdersApiAddress.Direct,
                RepositoryRoot.Results(configuration["LoadLab:Results"]),
                request.Journey ?? false,
                // The AppHost tells the lab both profiles it started the system with (a request that names its own profile describes another system).
                clientProfile: request.Profile is null ? configuration["LoadLab:ClientNetworkProfile"] : null);
        }
        catch (LabInputException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The run request is not valid", detail: ex.Message);
        }

        return runs.TryStart(options)
            ? TypedResults.Accepted(LabApi.CurrentRun, runs.Status())
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The lab is busy",
                detail: $"{slot.Busy ?? "Something"} is in progress; wait for it (GET {LabApi.CurrentRun}).");
    }
}
