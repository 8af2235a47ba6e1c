using Microsoft.AspNetCore.Http.HttpResults;
using PerfReference.LatencyProxy;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Serve;

/// <summary>
/// The lab as a service of the AppHost: <c>POST /runs</c> starts a run in the background (one at a
/// time), <c>GET /runs/current</c> tells how it goes. The dashboard's commands call these.
/// </summary>
public static class LabServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(LabMetrics.MeterName));
        builder.Services.AddSingleton<LabMetrics>();
        builder.Services.AddSingleton(services => new LabRunner(services.GetRequiredService<LabMetrics>()));
        builder.Services.AddSingleton<RunCoordinator>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, LabJsonContext.Default));

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapPost("/runs", StartRun);
        app.MapGet("/runs/current", (RunCoordinator runs) => TypedResults.Ok(runs.Status()));
        await app.RunAsync();
        return 0;
    }

    private static Results<Accepted<RunStatus>, ProblemHttpResult> StartRun(RunRequest request, RunCoordinator runs, IConfiguration configuration)
    {
        RunOptions options;
        try
        {
            options = RunOptions.Create(
                request.Scenario ?? "",
                request.Rate ?? RunDefaults.Rate,
                request.Duration ?? RunDefaults.Duration,
                request.Warmup ?? RunDefaults.Warmup,
                request.Profile ?? configuration["LoadLab:NetworkProfile"] ?? NetworkProfile.Loopback.Name,
                configuration["LoadLab:BaseUrl"] ?? configuration["services:orders:http:0"] ?? OrdersApiAddress.Direct,
                RepositoryRoot.Resolve(configuration["LoadLab:Results"], "results"),
                request.Journey ?? false);
        }
        catch (LabInputException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The run request is not valid", detail: ex.Message);
        }

        return runs.TryStart(options)
            ? TypedResults.Accepted("/runs/current", runs.Status())
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A run is in progress",
                detail: $"{runs.Status().Command} is still running; wait for it (GET /runs/current).");
    }
}
