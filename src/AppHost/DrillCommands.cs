using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using System.Globalization;
using PerfReference.Topology;

namespace PerfReference.AppHost;

/// <summary>
/// The fault drills as commands of the <c>loadlab</c> resource: the operator clicks "Drill: A silo
/// is killed", watches the fault on the Resources page (the silo exits, the supervisor starts it
/// again) and the recovery on the Traces and Metrics pages; the lab checks the books and writes
/// results/drills/, from which docs/reliability.md is generated. The lab reaches what the drills
/// act on and check: the orders database, Redis, the payment provider and its admin key.
/// </summary>
internal static class DrillCommands
{
    public static IResourceBuilder<ProjectResource> WithDrills(this IResourceBuilder<ProjectResource> lab,
        IResourceBuilder<IResourceWithConnectionString> ordersDb, IResourceBuilder<IResourceWithConnectionString> redis,
        IResourceBuilder<ProjectResource> payments, IResourceBuilder<ParameterResource> paymentsAdminKey)
    {
        lab.WithReference(ordersDb)
            .WithReference(redis)
            .WithReference(payments.GetEndpoint("grpc"))
            .WithEnvironment("LoadLab__PaymentsAdminKey", paymentsAdminKey);

        foreach (var drill in LabDrills.All)
        {
            lab.WithCommand(
                name: $"drill-{drill.Id}",
                displayName: $"Drill: {drill.Title}",
                executeCommand: context => StartAsync(lab.Resource, drill, context.CancellationToken),
                commandOptions: new CommandOptions
                {
                    Description = string.Create(CultureInfo.InvariantCulture,
                        $"{drill.Title} under {LabDrills.Rate:0} checkouts/s for {Durations.Format(LabDrills.Duration)}; expected: {drill.Expectation}. The books are checked afterwards; the result goes to results/drills/{drill.Id}/."),
                    IconName = "Warning",
                    ConfirmationMessage = $"{drill.Title}: this injects a real fault into the running system. Go on?",
                    UpdateState = context => context.ResourceSnapshot.HealthStatus is HealthStatus.Healthy ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
                });
        }

        return lab;
    }

    private static async Task<ExecuteCommandResult> StartAsync(ProjectResource lab, LabDrill drill, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(lab.GetEndpoint("http").Url), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.PostAsJsonAsync(LabApi.Drills, new DrillRequest(drill.Id), ct);
            return response.IsSuccessStatusCode
                ? CommandResults.Success()
                : CommandResults.Failure($"The lab answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
        catch (HttpRequestException ex)
        {
            return CommandResults.Failure($"The lab is not reachable: {ex.Message}");
        }
    }
}
