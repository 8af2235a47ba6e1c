using Grpc.Core;
using Microsoft.Extensions.Options;

namespace PerfReference.PaymentsGateway.Payments;

/// <summary>How the simulated provider behaves: its latency (the seed's 300 ms by default), jitter and error rate.</summary>
public sealed class ProviderBehaviourOptions
{
    public const string SectionName = "Provider";

    public int LatencyMs { get; set; } = 300;

    public int JitterMs { get; set; }

    /// <summary>Share of calls, from 0 to 1, that fail with Unavailable before doing anything.</summary>
    public double ErrorRate { get; set; }
}

/// <summary>Plays the provider's behaviour before each call: a delay, and sometimes a failure that changed nothing.</summary>
public sealed class ProviderSimulation(IOptionsMonitor<ProviderBehaviourOptions> options, TimeProvider clock)
{
    public async Task BeforeCallAsync(CancellationToken ct)
    {
        var behaviour = options.CurrentValue;
        var delay = behaviour.LatencyMs + (behaviour.JitterMs > 0 ? Random.Shared.Next(behaviour.JitterMs + 1) : 0);
        if (delay > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delay), clock, ct);
        }

        if (behaviour.ErrorRate > 0 && Random.Shared.NextDouble() < behaviour.ErrorRate)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The payment provider is unavailable (simulated fault); nothing was charged."));
        }
    }
}
