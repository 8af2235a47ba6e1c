using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace PerfReference.CustomerGrains.Hosting;

/// <summary>Healthy once this silo has joined the cluster as Active; until then it takes no grain calls.</summary>
public sealed class SiloHealthCheck(ISiloStatusOracle membership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(membership.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy($"Silo {membership.SiloAddress} is active.")
            : HealthCheckResult.Unhealthy($"Silo {membership.SiloAddress} is {membership.CurrentStatus}."));
}
