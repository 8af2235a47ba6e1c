using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace PerfReference.UnitTests;

/// <summary>Alone: the assertions read process-wide listener state, which another test's listener would change.</summary>
[CollectionDefinition(nameof(TelemetrySwitchTests), DisableParallelization = true)]
public sealed class TelemetrySwitchCollection;

/// <summary>
/// The AppHost's <c>telemetry=off</c> sets <c>OTEL_SDK_DISABLED=true</c>: with the OpenTelemetry packages this system
/// uses, ServiceDefaults' tracer and meter providers then listen to nothing — no span of the service's own source is
/// created for them, no instrument of a meter they named is enabled — and the exporters it registers when an OTLP
/// endpoint is given build without error. Without it (or with any value but "true") they listen.
/// </summary>
[Collection(nameof(TelemetrySwitchTests))]
public sealed class TelemetrySwitchTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("false", true)]
    [InlineData("true", false)]
    [InlineData("TRUE", false)]
    public void OtelSdkDisabledLeavesServiceDefaultsListeningToNothing(string? sdkDisabled, bool listening)
    {
        var name = $"telemetry-switch-{Guid.NewGuid():N}";
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = name, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // As Aspire starts a project: an OTLP endpoint (nothing listens there; nothing is exported in a test this short).
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9",
            ["OTEL_SDK_DISABLED"] = sdkDisabled,
        });
        builder.AddServiceDefaults();

        using (var host = builder.Build())
        {
            _ = host.Services.GetRequiredService<TracerProvider>();
            _ = host.Services.GetRequiredService<MeterProvider>();
            using var source = new ActivitySource(name); // ServiceDefaults traces the application's own source
            using var meter = new Meter("Microsoft.Orleans"); // and collects Orleans' meter
            var instrument = meter.CreateCounter<long>("telemetry-switch-probe");

            Assert.Equal(listening, source.HasListeners());
            Assert.Equal(listening, instrument.Enabled);
        }
    }
}
