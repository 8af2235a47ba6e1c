using System.Globalization;
using Aspire.Hosting.Orleans;

namespace PerfReference.AppHost;

/// <summary>
/// The Orleans cluster's two ids, as Orleans practises them: the service id names the application and stays — grain
/// state is keyed by it (the Redis grain storage's keys start with it) — while the cluster id names one deployment,
/// new with each start of the AppHost. Membership lives in Redis, which keeps its data across runs: under a cluster id
/// that stayed, every start found the previous run's silos still listed as active, and the new silos spent their
/// first minute probing the dead ones ("Failed to get ping responses from 2 of 2 active silos"), errors on a clean
/// start. A new cluster id starts from an empty membership table; the old table is left behind, untouched.
/// </summary>
internal static class OrleansIds
{
    /// <summary>The service id of a machine that has none yet; the Kubernetes manifests use the same.</summary>
    public const string DefaultServiceId = "perfreference";

    /// <summary>Where Aspire keeps the service id it generated for the "cluster" resource (the AppHost's user secrets) on machines that ran it before.</summary>
    private const string GeneratedServiceIdKey = "Parameters:cluster-service-id";

    public static OrleansService WithIdsForThisRun(this OrleansService orleans, IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return orleans; // a cluster's deployment names its own (deploy/kubernetes: perfreference-settings)
        }

        // A machine that already has grain state keeps it: the id Aspire generated there once, else the default.
        var serviceId = builder.Configuration[GeneratedServiceIdKey] is { Length: > 0 } generated ? generated : DefaultServiceId;
        return orleans.WithServiceId(serviceId).WithClusterId(NewClusterId(TimeProvider.System));
    }

    /// <summary>Readable in the membership table's keys (when the run started), and unique however close two starts are.</summary>
    public static string NewClusterId(TimeProvider clock) =>
        string.Create(CultureInfo.InvariantCulture, $"run-{clock.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}");
}
