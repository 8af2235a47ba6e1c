using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using PerfReference.Topology;

namespace PerfReference.AppHost.Record;

/// <summary>
/// The record of every entry where the operator already looks: the loadlab resource links to the
/// lab's record page (the optimization log with its charts, newest runs first), and its details list
/// the newest naive ÷ optimized P99 of each scenario, kept up to date as runs land in results/.
/// </summary>
internal static class RecordOnDashboard
{
    public const string UrlText = "Optimization record";

    public static IResourceBuilder<ProjectResource> WithRecord(this IResourceBuilder<ProjectResource> lab, string resultsDirectory)
    {
        // The record is what the lab's row links to; the lab's bare API address stays in its details.
        lab.WithUrl(ReferenceExpression.Create($"{lab.GetEndpoint("http")}{LabApi.Record}"), UrlText)
            .WithUrlForEndpoint("http", url => url.DisplayLocation = UrlDisplayLocation.DetailsOnly);
        if (lab.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            lab.ApplicationBuilder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<RecordProperties>(services, lab.Resource, resultsDirectory));
        }

        return lab;
    }
}
