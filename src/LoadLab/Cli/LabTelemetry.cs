using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace PerfReference.LoadLab.Engine;

/// <summary>
/// The command line's exporter of the lab's metrics: on when OTEL_EXPORTER_OTLP_ENDPOINT is set
/// (as Aspire sets it), so a run from a shell shows up in the dashboard too. The serve mode uses
/// the ServiceDefaults instead.
/// </summary>
public static class LabTelemetry
{
    public static MeterProvider? StartExporter() =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"))
            ? null
            : Sdk.CreateMeterProviderBuilder()
                .ConfigureResource(resource => resource.AddService(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") ?? "loadlab"))
                .AddMeter(LabMetrics.MeterName)
                .AddOtlpExporter()
                .Build();
}
