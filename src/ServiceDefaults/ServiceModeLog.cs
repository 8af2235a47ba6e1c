using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using PerfReference.Topology;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Says at start which mode the process runs (<see cref="ServiceMode"/>), so an operator reading the first lines of a
/// pod's log knows; every service of the system says it, the silos too. An unknown mode stops the process here.
/// </summary>
internal sealed class ServiceModeLog(IConfiguration configuration, ILogger<ServiceModeLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (ServiceMode.IsLab(configuration[ServiceMode.ConfigurationKey]))
        {
            logger.LogInformation(
                "Lab mode ({Key}={Mode}): X-Perf-Variant chooses each request's variant, counters come back as response headers, the lab's diagnostics endpoints are mapped. Never expose this to the internet.",
                ServiceMode.ConfigurationKey, ServiceMode.Lab);
        }
        else
        {
            logger.LogInformation(
                "Production mode ({Key}={Mode}): the optimized code only (X-Perf-Variant is ignored), no counter headers, no diagnostics endpoints",
                ServiceMode.ConfigurationKey, ServiceMode.Production);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
