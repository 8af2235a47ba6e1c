using System.Diagnostics;

namespace PerfReference.OrdersService.Infrastructure;

/// <summary>
/// The service's own spans, for work no request starts (the payment worker, the warm-up, the reconciler): each run
/// that did something is one trace in the dashboard rather than a scatter of database and grain calls, and a run
/// that found nothing to do is none. The source is named after the application, which the ServiceDefaults' tracing
/// listens to.
/// </summary>
public static class OrdersTracing
{
    public static readonly ActivitySource Source = new(typeof(OrdersTracing).Assembly.GetName().Name!);

    /// <summary>
    /// The current activity for work that must leave no trace anywhere: a trace decided "not sampled" before it
    /// starts. Every span under it is dropped (the SDK's parent-based sampler follows the parent), in this process
    /// and in the services it calls, since the W3C <c>traceparent</c> it propagates carries the decision (flags 00)
    /// and their samplers follow it as well. For a background loop's routine look — a poll that finds nothing — which
    /// would otherwise start a trace of its own in every service it touches, every few seconds. (Made by hand, not
    /// by <see cref="Source"/>: the SDK does not create an activity it would drop, and without one nothing would carry
    /// the decision — each call would start a sampled trace of its own, which is what this prevents. No listener
    /// hears of it, so it is never exported itself.)
    /// </summary>
    public static Activity StartUnsampled(string name) =>
        new Activity(name).SetParentId(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None).Start();
}
