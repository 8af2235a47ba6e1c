using Aspire.Hosting.ApplicationModel;

namespace PerfReference.AppHost;

/// <summary>
/// How much OpenTelemetry the projects run (the AppHost parameter <c>telemetry</c>):
/// <list type="bullet">
/// <item><c>on</c>, the default: every trace, metric and log exported to the dashboard over OTLP — what a lab whose
/// point is to show where each request's time goes needs, and what the walkthrough relies on. Every trace a request
/// starts; the background loops decide for theirs (<c>OTEL_TRACES_SAMPLER=parentbased_always_on</c>).</item>
/// <item><c>sampled</c>: metrics and logs as with <c>on</c>, traces head-sampled by the SDK's own sampler from the
/// specification's variables (<c>OTEL_TRACES_SAMPLER=parentbased_traceidratio</c>, <c>OTEL_TRACES_SAMPLER_ARG</c>, read
/// by OpenTelemetry .NET since 1.8): a trace that starts in a service is kept with probability <see cref="SampledShare"/>,
/// and every span below it follows its parent's decision, so a trace in the dashboard is whole or absent. What a
/// production deployment of this system would run; see the log's "Ceiling and the cost of telemetry".</item>
/// <item><c>off</c>: the SDK's own switch, <c>OTEL_SDK_DISABLED=true</c> (OpenTelemetry .NET 1.15 and later): every
/// TracerProvider, MeterProvider and LoggerProvider a project builds — ServiceDefaults' and the Aspire client
/// integrations' alike — is a no-op. It exists to measure what telemetry costs (the load lab's <c>ceiling</c>).</item>
/// </list>
/// The perf switch's per-request counters and headers depend on none of them.
/// <para>
/// Why <c>on</c> stays the default although it costs the cached read's ceiling more than the goal of 10 % (issue 26):
/// measured with each process's CPU beside (the load lab's <c>ceiling</c> watches the dashboard too), the difference is
/// not in the service — its CPU per cached read hardly moves — but in the Aspire dashboard, receiving the telemetry on
/// the same two cores: about 0.6 of a core under the ceiling's load with telemetry on, none with it off, next to none with
/// metrics and logs exported and no trace kept. Yet it spent as much with one trace in ten (what <c>sampled</c> kept
/// before) and when holding 2,000 traces instead of 10,000; one in a hundred takes most of it away, so <c>sampled</c>
/// keeps that. Earlier single runs with no Redis span, a metric export every 10 s or exemplars off did not take it
/// down. What removes it is the dashboard on cores of its own, as in any deployment. <c>sampled</c> or <c>off</c> is the
/// choice when the ceiling itself is measured; the lab and the walkthrough need every trace.
/// </para>
/// </summary>
internal static class Telemetry
{
    public const string ParameterName = "telemetry";
    public const string On = "on";
    public const string Sampled = "sampled";
    public const string Off = "off";

    /// <summary>The OpenTelemetry specification's switch for the whole SDK, honoured by OpenTelemetry .NET.</summary>
    public const string SdkDisabledVariable = "OTEL_SDK_DISABLED";

    /// <summary>The specification's sampler variables, honoured by OpenTelemetry .NET's TracerProvider.</summary>
    public const string SamplerVariable = "OTEL_TRACES_SAMPLER";
    public const string SamplerArgumentVariable = "OTEL_TRACES_SAMPLER_ARG";

    /// <summary>
    /// The share of traces <c>sampled</c> keeps: one in a hundred. One in ten kept the dashboard as busy as every trace
    /// did (the log's "Ceiling and the cost of telemetry"); one in a hundred leaves it a fraction of that. At this
    /// machine's ceiling (thousands of requests a second) that is still tens of traces a second — more than anyone
    /// reads, which is the point of sampling; at the lab's 3–50 requests a second it is one every few seconds, which is
    /// why the lab and the walkthrough run with <c>on</c>.
    /// </summary>
    public const string SampledShare = "0.01";

    /// <summary>The parameter's choice, applied to every project of the app model (call it once every project is added).</summary>
    public static void ApplyTelemetryChoice(this IDistributedApplicationBuilder builder)
    {
        var chosen = builder.AddChosenParameter(ParameterName, On, choice => choice is On or Sampled or Off
            ? choice
            : throw new InvalidOperationException($"The {ParameterName} parameter is '{choice}'; use {On}, {Sampled} or {Off}."));

        foreach (var project in builder.Resources.OfType<ProjectResource>().ToArray())
        {
            var resource = builder.CreateResourceBuilder(project);
            if (chosen == Off)
            {
                resource.WithEnvironment(SdkDisabledVariable, "true");
            }
            else if (chosen == On)
            {
                // Every trace a request or a background round starts, and every span below it following its parent.
                // Aspire's own choice, always_on, records a span whatever its parent decided: a background round that
                // starts unsampled (OrdersTracing.StartUnsampled: a reconciler's look that found nothing, a payment
                // worker's round between the ones it traces) then still left a trace of its own at each service it called.
                resource.WithEnvironment(SamplerVariable, "parentbased_always_on");
            }
            else if (chosen == Sampled)
            {
                resource.WithEnvironment(SamplerVariable, "parentbased_traceidratio")
                    .WithEnvironment(SamplerArgumentVariable, SampledShare);
            }
        }
    }
}
