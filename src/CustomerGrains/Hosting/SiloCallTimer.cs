using System.Diagnostics;
using PerfReference.CustomerGrains.Timing;

namespace PerfReference.CustomerGrains.Hosting;

/// <summary>
/// The silo's side of where a grain call's time goes: for a call whose caller asked (a <see cref="GrainCallArrival"/>
/// in the request context), how long it waited in this silo before it ran — routing to the activation, the
/// activation's start if it was not running, and above all the queue behind other calls to the same activation —
/// and how long it ran. Both go back to the caller inside the answer (<see cref="SiloTimedResponse"/>), which derives
/// the link as its total less the two, and onto the call's server span.
/// </summary>
/// <remarks>
/// What the wait leaves out: the time before the message was read off the connection (the socket's and the receive
/// loop's backlog) counts as link, as does the silo's sending of the answer. A message that reaches the activation's
/// silo through another (the gateway the caller is connected to, a reroute after a deactivation) is unpacked again
/// there, so its wait counts from its arrival at the silo that ran it and the hop is link. A call that fails (its
/// exception passes through here) is not timed: it answers with its exception, not with figures.
/// </remarks>
public sealed class SiloCallTimer : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (RequestContext.Get(GrainCallArrival.RequestContextKey) is not GrainCallArrival arrival)
        {
            await context.Invoke();
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var waited = arrival.WaitedUntil(started);
        RequestContext.Remove(GrainCallArrival.RequestContextKey); // the calls this grain makes are not this call
        await context.Invoke();
        var ran = Stopwatch.GetElapsedTime(started);

        // Orleans' own incoming filter runs first, so the current activity is this call's server span.
        Activity.Current?.SetTag(GrainCallTags.SiloWaitMs, waited.TotalMilliseconds);
        Activity.Current?.SetTag(GrainCallTags.RunMs, ran.TotalMilliseconds);
        context.Response = new SiloTimedResponse { Answer = context.Response!, Waited = waited, Ran = ran };
    }
}

public static class SiloCallTimingExtensions
{
    /// <summary>Times the grain calls whose callers ask, for the callers' account of where a call's time went.</summary>
    public static ISiloBuilder AddGrainCallTiming(this ISiloBuilder silo) => silo.AddIncomingGrainCallFilter<SiloCallTimer>();
}
