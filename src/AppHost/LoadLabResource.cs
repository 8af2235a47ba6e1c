using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PerfReference.AppHost.Record;
using PerfReference.AppHost.Supervision;
using PerfReference.LoadLab;
using System.Globalization;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Topology;

namespace PerfReference.AppHost;

/// <summary>
/// The load lab as a resource (its serve mode) with one dashboard command per scenario: the
/// command asks the lab to run the scenario against OrdersService, and the result file lands in
/// the repository's results/ folder, from which the log is generated. A command's load comes from
/// configuration (<c>LoadLab:CommandRate</c>, <c>LoadLab:CommandDuration</c>, <c>LoadLab:CommandWarmup</c>),
/// the lab's own defaults (<see cref="RunDefaults"/>) otherwise, so that the browser tests can click a
/// command that ends in seconds.
/// </summary>
internal static class LoadLabResource
{
    private const string ConfigurationSection = "LoadLab";

    public static IResourceBuilder<ProjectResource> AddLoadLab(
        this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> orders, string networkProfile, string clientNetworkProfile,
        ReferenceExpression? viaOrdersLink)
    {
        var results = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "..", "results"));
        var lab = builder.AddProject<Projects.LoadLab>("loadlab")
            .WithArgs("serve")
            .WithHttpEndpoint() // the lab has no launch profile: its serve API gets a port from Aspire
            .WithReference(orders.GetEndpoint("http"))
            .WithEnvironment("LoadLab__NetworkProfile", networkProfile)
            .WithEnvironment("LoadLab__ClientNetworkProfile", clientNetworkProfile)
            .WithEnvironment("LoadLab__Results", results)
            .WithEnvironment("LoadLab__Docs", Path.GetFullPath(Path.Combine(results, "..", "docs")))
            .WaitFor(orders)
            .WithHttpHealthCheck(HealthEndpoints.Health)
            .WithRestartOnExit()
            .WithRecord(results);
        if (viaOrdersLink is not null)
        {
            // Under a network profile (the system's or the client's) the lab is a remote client: its requests pay the client link too.
            lab.WithEnvironment("LoadLab__BaseUrl", viaOrdersLink);
        }

        var load = CommandLoad.From(builder.Configuration.GetSection(ConfigurationSection));
        foreach (var scenario in ScenarioTable.All)
        {
            lab.WithRunCommand(scenario.Id, journey: false, load);
            if (scenario.HasJourney)
            {
                lab.WithRunCommand(scenario.Id, journey: true, load);
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
            executeCommand: context => StartRunAsync(lab.Resource, new(scenario, load.Rate, load.Duration, journey, load.Warmup), context.CancellationToken),
            commandOptions: new CommandOptions
            {
                Description = $"Runs the lab's {name} scenario: naive and optimized requests interleaved; the result goes to results/{scenario}/.",
                IconName = "Play",
                UpdateState = context => context.ResourceSnapshot.HealthStatus is HealthStatus.Healthy
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            });
    }

    private static async Task<ExecuteCommandResult> StartRunAsync(ProjectResource lab, RunBody body, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(lab.GetEndpoint("http").Url), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.PostAsJsonAsync("/runs", body, ct);
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

    /// <summary>The lab's POST /runs body; the lab knows the network profile the AppHost started with (and a null warm-up means its own default).</summary>
    private sealed record RunBody(string Scenario, double Rate, string Duration, bool Journey, string? Warmup);

    /// <summary>The load every command runs, read and checked once at startup so that a bad setting stops the AppHost rather than a click.</summary>
    private sealed record CommandLoad(double Rate, string Duration, string? Warmup)
    {
        public static CommandLoad From(IConfiguration section)
        {
            var rate = section.GetValue("CommandRate", RunDefaults.Rate);
            if (rate <= 0)
            {
                throw new InvalidOperationException($"LoadLab:CommandRate must be a positive number of requests per second, not {rate}.");
            }

            var duration = Format(section["CommandDuration"] ?? RunDefaults.Duration, "CommandDuration");
            var warmup = section["CommandWarmup"] is { } text ? Format(text, "CommandWarmup") : null;
            return new(rate, duration, warmup);
        }

        /// <summary>What the command's display name says, e.g. "20 rps, 30 s".</summary>
        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"{Rate:0.###} rps, {Durations.Parse(Duration, "duration").TotalSeconds:0.###} s");

        private static string Format(string text, string setting)
        {
            try
            {
                return Durations.Format(Durations.Parse(text, setting));
            }
            catch (LabInputException ex)
            {
                throw new InvalidOperationException($"LoadLab:{setting} '{text}' is not a duration; write it like 30s, 500ms or 2m.", ex);
            }
        }
    }
}
