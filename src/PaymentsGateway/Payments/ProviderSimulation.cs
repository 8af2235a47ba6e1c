using System.ComponentModel.DataAnnotations;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace PerfReference.PaymentsGateway.Payments;

/// <summary>How the simulated provider behaves at start: its latency (the seed's 300 ms by default), jitter and error rate.</summary>
public sealed class ProviderBehaviourOptions
{
    public const string SectionName = "Provider";

    [Range(0, 600_000)]

    public int LatencyMs { get; set; } = 300;

    [Range(0, 600_000)]

    public int JitterMs { get; set; }

    /// <summary>Share of calls, from 0 to 1, that fail with Unavailable before doing anything.</summary>
    [Range(0.0, 1.0)]
    public double ErrorRate { get; set; }

    /// <summary>The key operators present (as "x-admin-key" metadata) to change the behaviour; none disables the admin service.</summary>
    public string? AdminKey { get; set; }
}

/// <summary>The behaviour in force now. Immutable: a change swaps the whole value, so a call never sees half of one.</summary>
public sealed record Behaviour(int LatencyMs, int JitterMs, double ErrorRate, DateTimeOffset? OutageUntil);

/// <summary>Plays the provider's behaviour before each call: a delay, and sometimes a failure that changed nothing.</summary>
public sealed class ProviderSimulation(IOptions<ProviderBehaviourOptions> options, TimeProvider clock)
{
    private Behaviour _current = new(options.Value.LatencyMs, options.Value.JitterMs, options.Value.ErrorRate, OutageUntil: null);

    public Behaviour Current => Volatile.Read(ref _current);

    public void Set(Behaviour behaviour) => Volatile.Write(ref _current, behaviour);

    public async Task BeforeCallAsync(CancellationToken ct)
    {
        var behaviour = Current;
        var delay = behaviour.LatencyMs + (behaviour.JitterMs > 0 ? Random.Shared.Next(behaviour.JitterMs + 1) : 0);
        if (delay > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delay), clock, ct);
        }

        if (behaviour.OutageUntil is { } until && clock.GetUtcNow() < until)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"The payment provider is down until {until:O} (simulated outage); nothing was charged."));
        }

        if (behaviour.ErrorRate > 0 && Random.Shared.NextDouble() < behaviour.ErrorRate)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The payment provider is unavailable (simulated fault); nothing was charged."));
        }
    }
}
