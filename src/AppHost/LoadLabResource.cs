using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PerfReference.LoadLab.Scenarios;

namespace PerfReference.AppHost;

/// <summary>
/// The load lab as a resource (its serve mode) with one dashboard command per scenario: the
/// command asks the lab to run the scenario against OrdersService, and the result file lands in
/// the repository's results/ folder, from which the log is generated.
/// </summary>
internal static class LoadLabResource
{
    private const double CommandRate = 20;
    private const string CommandDuration = "30s";

    public static IResourceBuilder<ProjectResource> AddLoadLab(
        this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> orders, string networkProfile, ReferenceExpression? viaOrdersLink)
    {
        var results = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "..", "results"));
        var lab = builder.AddProject<Projects.LoadLab>("loadlab")
            .WithArgs("serve")
            .WithHttpEndpoint() // the lab has no launch profile: its serve API gets a port from Aspire
            .WithReference(orders.GetEndpoint("http"))
            .WithEnvironment("LoadLab__NetworkProfile", networkProfile)
            .WithEnvironment("LoadLab__Results", results)
            .WaitFor(orders)
            .WithHttpHealthCheck("/health");
        if (viaOrdersLink is not null)
        {
            // Under a network profile the lab is a remote client: its requests pay the client link too.
            lab.WithEnvironment("LoadLab__BaseUrl", viaOrdersLink);
        }

        foreach (var scenario in ScenarioTable.All)
        {
            lab.WithRunCommand(scenario.Id, journey: false);
            if (scenario.HasJourney)
            {
                lab.WithRunCommand(scenario.Id, journey: true);
            }
        }

        return lab;
    }

    private static void WithRunCommand(this IResourceBuilder<ProjectResource> lab, string scenario, bool journey)
    {
        var name = journey ? $"{scenario} journey" : scenario;
        lab.WithCommand(
            name: $"run-{scenario}{(journey ? "-journey" : "")}",
            displayName: $"Run {name} ({CommandRate} rps, {CommandDuration.TrimEnd('s')} s)",
            executeCommand: context => StartRunAsync(lab.Resource, new(scenario, CommandRate, CommandDuration, journey), context.CancellationToken),
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

    /// <summary>The lab's POST /runs body; the lab knows the network profile the AppHost started with.</summary>
    private sealed record RunBody(string Scenario, double Rate, string Duration, bool Journey);
}
