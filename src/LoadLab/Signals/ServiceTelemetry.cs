namespace PerfReference.LoadLab.Signals;

/// <summary>
/// Whether the services ran with their OpenTelemetry SDK on (<see cref="State"/>: <c>on</c>, <c>sampled</c>, <c>off</c>, <c>no exporter</c>,
/// <c>mixed</c> when the processes disagree, <c>unknown</c> when none could be read), and what each process was started with.
/// </summary>
public sealed record TelemetryState(string State, IReadOnlyList<ProcessTelemetry> Processes)
{
    public static TelemetryState Unknown { get; } = new(ServiceTelemetry.Unknown, []);

    /// <summary>The state of a run whose telemetry cost can be computed: every service on, every service sampled, or every service off.</summary>
    public bool IsKnown => State is ServiceTelemetry.On or ServiceTelemetry.Sampled or ServiceTelemetry.Off;
}

/// <summary>One service process: its telemetry state and the OpenTelemetry settings it was started with that change what telemetry costs.</summary>
public sealed record ProcessTelemetry(string Service, int ProcessId, string State, IReadOnlyDictionary<string, string> Settings);

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
    public const string On = "on";
    public const string Sampled = "sampled";
    public const string Off = "off";
    public const string NoExporter = "no exporter";
    public const string Mixed = "mixed";
    public const string Unknown = "unknown";

    public const string SdkDisabledVariable = "OTEL_SDK_DISABLED";
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string SamplerVariable = "OTEL_TRACES_SAMPLER";
    public const string SamplerArgumentVariable = "OTEL_TRACES_SAMPLER_ARG";

    /// <summary>The services that run OpenTelemetry (the latency proxies do not).</summary>
    public static IReadOnlyList<string> Services { get; } = ["orders", "silo", "payments"];

    /// <summary>What decides whether telemetry runs, and what it costs when it does: the sampler, how often it exports.</summary>
    public static IReadOnlyList<string> RecordedSettings { get; } =
    [
        SdkDisabledVariable, SamplerVariable, SamplerArgumentVariable, "OTEL_METRIC_EXPORT_INTERVAL",
        "OTEL_BSP_SCHEDULE_DELAY", "OTEL_BLRP_SCHEDULE_DELAY", "OTEL_EXPORTER_OTLP_PROTOCOL",
    ];

    /// <summary>The telemetry of this checkout's service processes on this machine.</summary>
    public static TelemetryState Read(IReadOnlyList<ServiceProcess> processes) =>
        Of(processes.Where(p => Services.Contains(p.Service)).Select(p => (p, ServiceProcesses.ReadEnvironment(p.ProcessId))));

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
            [] => Unknown,
            [var only] => only,
            _ => Mixed,
        };
        return new TelemetryState(state, read);
    }

    public static ProcessTelemetry Parse(ServiceProcess process, string environment)
    {
        var variables = ServiceProcesses.ParseEnvironment(environment);
        var state = variables.TryGetValue(SdkDisabledVariable, out var disabled) && disabled.Trim().Equals("true", StringComparison.OrdinalIgnoreCase)
            ? Off
            : !variables.TryGetValue(EndpointVariable, out var endpoint) || string.IsNullOrWhiteSpace(endpoint) ? NoExporter
            : KeepsEveryTrace(variables) ? On : Sampled;
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
