using Aspire.Hosting.ApplicationModel;

namespace PerfReference.AppHost;

/// <summary>
/// Whether the projects run the OpenTelemetry SDK (the AppHost parameter <c>telemetry</c>): <c>on</c>, the default —
/// traces, metrics and logs exported to the dashboard over OTLP — or <c>off</c>, which sets the SDK's own switch,
/// <c>OTEL_SDK_DISABLED=true</c> (OpenTelemetry .NET 1.15 and later read it from the configuration when a provider is
/// built): every TracerProvider, MeterProvider and LoggerProvider a project builds — ServiceDefaults' and the Aspire
/// client integrations' alike — is then a no-op, so nothing is sampled, recorded, aggregated or exported. It exists to
/// measure what telemetry costs (the load lab's <c>ceiling</c>, run once with each); the perf switch's per-request
/// counters and headers do not depend on it.
/// </summary>
internal static class Telemetry
{
    public const string ParameterName = "telemetry";
    public const string On = "on";
    public const string Off = "off";

    /// <summary>The OpenTelemetry specification's switch for the whole SDK, honoured by OpenTelemetry .NET.</summary>
    public const string SdkDisabledVariable = "OTEL_SDK_DISABLED";

    /// <summary>The parameter's choice, applied to every project of the app model (call it once every project is added).</summary>
    public static void ApplyTelemetryChoice(this IDistributedApplicationBuilder builder)
    {
        var chosen = builder.AddChosenParameter(ParameterName, On, choice => choice is On or Off
            ? choice
            : throw new InvalidOperationException($"The {ParameterName} parameter is '{choice}'; use {On} or {Off}."));

        if (chosen == Off)
        {
            foreach (var project in builder.Resources.OfType<ProjectResource>().ToArray())
            {
                builder.CreateResourceBuilder(project).WithEnvironment(SdkDisabledVariable, "true");
            }
        }
    }
}
