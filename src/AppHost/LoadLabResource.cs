using System.Globalization;
using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PerfReference.AppHost.Record;
using PerfReference.AppHost.Supervision;
using PerfReference.Topology;

namespace PerfReference.AppHost;

/// <summary>
/// The load lab as a resource (its serve mode) with one dashboard command per scenario: the
/// command asks the lab to run the scenario against OrdersService, and the result file lands in
/// the repository's results/ folder, from which the log is generated. A command runs the scenario's own load
/// (<see cref="LabScenario.Load"/>), or the load in configuration (<c>LoadLab:CommandRate</c>,
/// <c>LoadLab:CommandDuration</c>, <c>LoadLab:CommandWarmup</c>) for every command, so that the browser tests can click
/// a command that ends in seconds.
/// </summary>
internal static class LoadLabResource
{
    private const string ConfigurationSection = "LoadLab";

    public static IResourceBuilder<ProjectResource> AddLoadLab(
        this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> orders, string networkProfile, string clientNetworkProfile,
        ReferenceExpression? viaOrdersLink)
    {
        var repository = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".."));
        var results = Path.Combine(repository, RepositoryLayout.Results);
        var lab = builder.AddProject<Projects.LoadLab>("loadlab")
            .WithArgs("serve")
            .WithHttpEndpoint() // the lab has no launch profile: its serve API gets a port from Aspire
            .WithReference(orders.GetEndpoint("http"))
            .WithEnvironment("LoadLab__NetworkProfile", networkProfile)
            .WithEnvironment("LoadLab__ClientNetworkProfile", clientNetworkProfile)
            .WithEnvironment("LoadLab__Results", results)
            .WithEnvironment("LoadLab__Docs", Path.Combine(repository, RepositoryLayout.Docs))
            .WaitFor(orders)
            .WithHttpHealthCheck(HealthEndpoints.Health)
            .WithRestartOnExit()
            .WithRecord(results)
            .WithDashboardTelemetryApi();
        if (viaOrdersLink is not null)
        {
            // Under a network profile (the system's or the client's) the lab is a remote client: its requests pay the client link too.
            lab.WithEnvironment("LoadLab__BaseUrl", viaOrdersLink);
        }

        var configured = CommandLoad.From(builder.Configuration.GetSection(ConfigurationSection));
        foreach (var scenario in LabScenarios.All)
        {
            lab.WithRunCommand(scenario.Id, journey: false, configured ?? CommandLoad.Of(scenario.Load));
            if (scenario.JourneyLoad is { } journey)
            {
                lab.WithRunCommand(scenario.Id, journey: true, configured ?? CommandLoad.Of(journey));
            }
        }

        return lab;
    }

    private static void WithRunCommand(this IResourceBuilder<ProjectResource> lab, string scenario, bool journey, CommandLoad load)
    {
        var name = journey ? $"{scenario} journey" : scenario;
        lab.WithCommand(
            name: $"run-{scenario}{(journey ? "-journey" : "")}",
            displayName: $"Run {name} ({load.Describe()})",
            executeCommand: context => StartRunAsync(lab.Resource, load.Request(scenario, journey), context.CancellationToken),
            commandOptions: new CommandOptions
            {
                Description = $"Runs the lab's {name} scenario: naive and optimized requests interleaved; the result goes to results/{scenario}/.",
                IconName = "Play",
                UpdateState = context => context.ResourceSnapshot.HealthStatus is HealthStatus.Healthy
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            });
    }

    private static async Task<ExecuteCommandResult> StartRunAsync(ProjectResource lab, RunRequest body, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(lab.GetEndpoint("http").Url), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.PostAsJsonAsync(LabApi.Runs, body, ct);
            var answer = await response.Content.ReadAsStringAsync(ct);
            return response.IsSuccessStatusCode
                ? CommandResults.Success()
                : CommandResults.Failure($"The lab answered {(int)response.StatusCode}: {answer}");
        }
        catch (HttpRequestException ex)
        {
            return CommandResults.Failure($"The lab is not reachable: {ex.Message}");
        }
    }

    /// <summary>The load a command runs: the scenario's own, or the one configuration sets for every command (checked once, at startup).</summary>
    private sealed record CommandLoad(double Rate, TimeSpan Duration, TimeSpan? Warmup)
    {
        public static CommandLoad Of(ScenarioLoad load) => new(load.Rate, load.Duration, load.Warmup);

        /// <summary>The load configuration sets for every command, or null; a bad setting stops the AppHost rather than a click.</summary>
        public static CommandLoad? From(IConfiguration section)
        {
            if (section["CommandRate"] is null && section["CommandDuration"] is null && section["CommandWarmup"] is null)
            {
                return null;
            }

            var rate = section.GetValue<double?>("CommandRate")
                ?? throw new InvalidOperationException("LoadLab:CommandRate must be set with LoadLab:CommandDuration and LoadLab:CommandWarmup.");
            if (rate <= 0)
            {
                throw new InvalidOperationException($"LoadLab:CommandRate must be a positive number of requests per second, not {rate}.");
            }

            var duration = Parse(section["CommandDuration"], "CommandDuration")
                ?? throw new InvalidOperationException("LoadLab:CommandDuration must be set with LoadLab:CommandRate.");
            return new(rate, duration, Parse(section["CommandWarmup"], "CommandWarmup"));
        }

        /// <summary>What the lab is asked: the scenario at this load (a warm-up left out takes the scenario's own).</summary>
        public RunRequest Request(string scenario, bool journey) =>
            new(scenario, Rate, Durations.Format(Duration), Warmup: Warmup is { } warmup ? Durations.Format(warmup) : null, Journey: journey);

        /// <summary>What the command's display name says, e.g. "4 rps, 150 s".</summary>
        public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Rate:0.###} rps, {Duration.TotalSeconds:0.###} s");

        private static TimeSpan? Parse(string? text, string setting) =>
            text is null ? null
            : Durations.Parse(text) ?? throw new InvalidOperationException($"LoadLab:{setting} '{text}' is not a duration; write it like 30s, 500ms or 2m.");
    }
}
