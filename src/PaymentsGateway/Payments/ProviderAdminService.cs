using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using PerfReference.Payments.V1;

namespace PerfReference.PaymentsGateway.Payments;

/// <summary>Lets an operator (the load lab, a test) change the provider's latency, faults and outages at runtime.</summary>
public sealed class ProviderAdminService(ProviderSimulation simulation, IOptions<ProviderBehaviourOptions> options, TimeProvider clock)
    : PaymentProviderAdmin.PaymentProviderAdminBase
{
    public const string AdminKeyHeader = "x-admin-key";

    public override Task<ProviderBehaviour> GetBehaviour(GetBehaviourRequest request, ServerCallContext context)
    {
        Authorize(context);
        return Task.FromResult(ToMessage(simulation.Current));
    }

    public override Task<ProviderBehaviour> SetBehaviour(ProviderBehaviour request, ServerCallContext context)
    {
        Authorize(context);
        Require(request.LatencyMs is >= 0 and <= 60_000, $"latency_ms must be between 0 and 60000; it was {request.LatencyMs}.");
        Require(request.ReadLatencyMs is >= 0 and <= 60_000, $"read_latency_ms must be between 0 and 60000; it was {request.ReadLatencyMs}.");
        Require(request.JitterMs is >= 0 and <= 60_000, $"jitter_ms must be between 0 and 60000; it was {request.JitterMs}.");
        Require(request.ErrorRate is >= 0 and <= 1, $"error_rate must be between 0 and 1; it was {request.ErrorRate}.");
        Require(request.OutageSeconds is >= 0 and <= 3_600, $"outage_seconds must be between 0 and 3600; it was {request.OutageSeconds}.");

        var outageUntil = request.OutageSeconds > 0 ? clock.GetUtcNow().AddSeconds(request.OutageSeconds) : (DateTimeOffset?)null;
        // A look-up's latency is kept unless it is given: an operator who makes the provider slow or failing for a drill
        // need not know it, and restoring what GetBehaviour gave restores it too.
        var readLatencyMs = request.HasReadLatencyMs ? request.ReadLatencyMs : simulation.Current.ReadLatencyMs;
        simulation.Set(new Behaviour(request.LatencyMs, readLatencyMs, request.JitterMs, request.ErrorRate, outageUntil));
        return Task.FromResult(ToMessage(simulation.Current));
    }

    private void Authorize(ServerCallContext context)
    {
        if (string.IsNullOrEmpty(options.Value.AdminKey))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "The admin service is disabled: no Provider:AdminKey is configured."));
        }

        var presented = context.RequestHeaders.GetValue(AdminKeyHeader) ?? "";
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(options.Value.AdminKey)))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"A valid '{AdminKeyHeader}' metadata entry is required."));
        }
    }

    private static void Require(bool condition, string detail)
    {
        if (!condition)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, detail));
        }
    }

    private static ProviderBehaviour ToMessage(Behaviour behaviour) => new()
    {
        LatencyMs = behaviour.LatencyMs,
        ReadLatencyMs = behaviour.ReadLatencyMs,
        JitterMs = behaviour.JitterMs,
        ErrorRate = behaviour.ErrorRate,
        OutageUntil = behaviour.OutageUntil is { } until ? Timestamp.FromDateTimeOffset(until) : null,
    };
}
