using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PerfReference.Topology;

namespace PerfReference.Performance;

/// <summary>Says at start which mode the process runs, so an operator reading the first lines of a pod's log knows.</summary>
internal sealed class ServiceModeLog(IOptions<PerfOptions> options, ILogger<ServiceModeLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.IsLab)
        {
            logger.LogInformation(
                "Lab mode ({Key}={Mode}): X-Perf-Variant chooses each request's variant (default {Default}), counters come back as response headers, the lab's diagnostics endpoints are mapped. Never expose this to the internet.",
                ServiceMode.ConfigurationKey, ServiceMode.Lab, PerfSelection.Name(options.Value.DefaultVariant));
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
