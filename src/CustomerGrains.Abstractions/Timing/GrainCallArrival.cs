using System.Diagnostics;
using Orleans.Serialization.Activators;

namespace PerfReference.CustomerGrains.Timing;

/// <summary>
/// A caller's request that the silo time its grain call, carried in Orleans' <see cref="RequestContext"/>, and the
/// moment the call reached the silo. Orleans tells a filter nothing about when a message arrived (its message
/// timestamps and messaging events are internal, the events compiled out of release builds), but it unpacks a message's
/// request context as the message comes off the connection — before it is routed to the activation and queued there —
/// and an incoming call filter reads that context when the call starts to run. So the marker notes when it was made:
/// on the silo, that is when the deserializer read it, the message's arrival.
/// </summary>
/// <remarks>
/// The moment is a <see cref="Stopwatch"/> timestamp of the process that made the marker and is only compared with
/// timestamps of that process: nothing crosses hosts but durations. A call that never crosses a connection (one grain
/// calling another in the same silo) carries a copy made with its message, so its wait counts from the call's sending.
/// </remarks>
[GenerateSerializer, UseActivator, Alias("PerfReference.GrainCallArrival")]
public sealed class GrainCallArrival
{
    public const string RequestContextKey = "perf.grain-call-arrival";

    [NonSerialized] // a moment of the process that made the marker: it means nothing anywhere else
    private readonly long _madeAt = Stopwatch.GetTimestamp();

    /// <summary>How long the call waited between its arrival and <paramref name="startedAt"/>, a timestamp of this process.</summary>
    public TimeSpan WaitedUntil(long startedAt) => Stopwatch.GetElapsedTime(_madeAt, startedAt);

    /// <summary>How Orleans makes the marker it reads from a message (or copies into one): as any other, noting the moment.</summary>
    [RegisterActivator]
    internal sealed class Activator : IActivator<GrainCallArrival>
    {
        public GrainCallArrival Create() => new();
    }
}
