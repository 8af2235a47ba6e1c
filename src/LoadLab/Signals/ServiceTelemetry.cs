using PerfReference.LoadLab.Processes;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Signals;

/// <summary>
/// Reads whether the topology's services run the OpenTelemetry SDK, from each process's environment as it was started
/// (<c>/proc/&lt;pid&gt;/environ</c>) — where the AppHost's <c>telemetry</c> parameter puts <c>OTEL_SDK_DISABLED=true</c>
/// and Aspire puts the OTLP endpoint — read the way the SDK and ServiceDefaults read them: the SDK is off when
/// <c>OTEL_SDK_DISABLED</c> is "true" in any letter case (the specification's only true value), and exports only when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; an exporting SDK whose <c>OTEL_TRACES_SAMPLER</c> keeps less than every trace
/// (the AppHost's <c>telemetry=sampled</c>) is <c>sampled</c>. Only the settings named in <see cref="RecordedSettings"/> are kept: the rest
/// of an environment (the dashboard's API key among it) is never copied anywhere.
/// </summary>
public static class ServiceTelemetry
{
    public const string SdkDisabledVariable = TelemetryState.SdkDisabledVariable;
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string SamplerVariable = "OTEL_TRACES_SAMPLER";
    public const string SamplerArgumentVariable = "OTEL_TRACES_SAMPLER_ARG";

    /// <summary>What decides whether telemetry runs, and what it costs when it does: the sampler, how often it exports.</summary>
    public static IReadOnlyList<string> RecordedSettings { get; } =
    [
        SdkDisabledVariable, SamplerVariable, SamplerArgumentVariable, "OTEL_METRIC_EXPORT_INTERVAL",
        "OTEL_BSP_SCHEDULE_DELAY", "OTEL_BLRP_SCHEDULE_DELAY", "OTEL_EXPORTER_OTLP_PROTOCOL",
    ];

    /// <summary>The telemetry of this checkout's service processes on this machine.</summary>
    public static TelemetryState Read(IReadOnlyList<ServiceProcess> processes) =>
        Of(processes.Where(p => TopologyServices.WithTelemetry.Contains(p.Service)).Select(p => (p, LocalProcesses.ReadEnvironment(p.ProcessId))));

    /// <summary>The state of each process from its environment (NUL-separated NAME=value, as /proc gives it; null when unreadable), and of them all.</summary>
    public static TelemetryState Of(IEnumerable<(ServiceProcess Process, string? Environment)> processes)
    {
        var read = processes
            .Where(p => p.Environment is not null)
            .Select(p => Parse(p.Process, p.Environment!))
            .ToArray();
        var states = read.Select(p => p.State).Distinct(StringComparer.Ordinal).ToArray();
        var state = states switch
        {
            [] => TelemetryState.Unknown,
            [var only] => only,
            _ => TelemetryState.Mixed,
        };
        return new TelemetryState(state, read);
    }

    public static ProcessTelemetry Parse(ServiceProcess process, string environment)
    {
        var variables = LocalProcesses.ParseEnvironment(environment);
        var state = variables.TryGetValue(SdkDisabledVariable, out var disabled) && disabled.Trim().Equals("true", StringComparison.OrdinalIgnoreCase)
            ? TelemetryState.Off
            : !variables.TryGetValue(EndpointVariable, out var endpoint) || string.IsNullOrWhiteSpace(endpoint) ? TelemetryState.NoExporter
            : KeepsEveryTrace(variables) ? TelemetryState.On : TelemetryState.Sampled;
        var settings = RecordedSettings
            .Where(variables.ContainsKey)
            .ToDictionary(name => name, name => variables[name], StringComparer.Ordinal);
        return new ProcessTelemetry(process.Service, process.ProcessId, state, settings);
    }

    /// <summary>
    /// Whether the SDK's sampler keeps every trace, read as OpenTelemetry .NET reads the variables: no sampler or an
    /// always-on one keeps all; a ratio keeps all only at 1 (and the SDK's default ratio, when the argument is missing
    /// or unreadable, is 1); anything else (always_off, parentbased_always_off) keeps fewer.
    /// </summary>
    private static bool KeepsEveryTrace(IReadOnlyDictionary<string, string> variables)
    {
        if (!variables.TryGetValue(SamplerVariable, out var sampler) || string.IsNullOrWhiteSpace(sampler))
        {
            return true;
        }

        return sampler.Trim().ToLowerInvariant() switch
        {
            "always_on" or "parentbased_always_on" => true,
            "traceidratio" or "parentbased_traceidratio" =>
                !variables.TryGetValue(SamplerArgumentVariable, out var argument)
                || !double.TryParse(argument, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var share)
                || share >= 1,
            _ => false,
        };
    }
}
