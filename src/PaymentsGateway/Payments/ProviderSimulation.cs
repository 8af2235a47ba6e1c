using System.ComponentModel.DataAnnotations;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace PerfReference.PaymentsGateway.Payments;

/// <summary>
/// How the simulated provider behaves at start: its latency (the seed's 300 ms by default for a call that moves money,
/// its 200 ms for a look-up), jitter and error rate.
/// </summary>
public sealed class ProviderBehaviourOptions
{
    public const string SectionName = "Provider";

    /// <summary>How long a call that moves money takes (authorise, capture, refund, void): the seed checkout's provider.</summary>
    [Range(0, 600_000)]
    public int LatencyMs { get; set; } = 300;

    /// <summary>
    /// How long a look-up takes (a payment's status, a page of payments): a provider answers a read without the card
    /// network behind it. The seed's thread-pool lesson counts with it ("10 threads × 200 ms = 50 requests per second").
    /// </summary>
    [Range(0, 600_000)]
    public int ReadLatencyMs { get; set; } = 200;

    [Range(0, 600_000)]

    public int JitterMs { get; set; }

    /// <summary>Share of calls, from 0 to 1, that fail with Unavailable before doing anything.</summary>
    [Range(0.0, 1.0)]
    public double ErrorRate { get; set; }

    /// <summary>The key operators present (as "x-admin-key" metadata) to change the behaviour; none disables the admin service.</summary>
    public string? AdminKey { get; set; }
}

/// <summary>The behaviour in force now. Immutable: a change swaps the whole value, so a call never sees half of one.</summary>
public sealed record Behaviour(int LatencyMs, int ReadLatencyMs, int JitterMs, double ErrorRate, DateTimeOffset? OutageUntil);

/// <summary>Plays the provider's behaviour before each call: a delay, and sometimes a failure that changed nothing.</summary>
public sealed class ProviderSimulation(IOptions<ProviderBehaviourOptions> options, TimeProvider clock)
{
    private Behaviour _current = new(options.Value.LatencyMs, options.Value.ReadLatencyMs, options.Value.JitterMs, options.Value.ErrorRate, OutageUntil: null);

    public Behaviour Current => Volatile.Read(ref _current);

    public void Set(Behaviour behaviour) => Volatile.Write(ref _current, behaviour);

    /// <summary>Before a call that moves money.</summary>
    public Task BeforeCallAsync(CancellationToken ct) => PlayAsync(static behaviour => behaviour.LatencyMs, ct);

    /// <summary>Before a look-up.</summary>
    public Task BeforeReadAsync(CancellationToken ct) => PlayAsync(static behaviour => behaviour.ReadLatencyMs, ct);

    private async Task PlayAsync(Func<Behaviour, int> latencyMs, CancellationToken ct)
    {
        var behaviour = Current;
        var delay = latencyMs(behaviour) + (behaviour.JitterMs > 0 ? Random.Shared.Next(behaviour.JitterMs + 1) : 0);
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
