namespace PerfReference.LoadLab.Results;

/// <summary>
/// Whether the services ran with their OpenTelemetry SDK on (<see cref="State"/>: <see cref="On"/>, <see cref="Sampled"/>,
/// <see cref="Off"/>, <see cref="NoExporter"/>, <see cref="Mixed"/> when the processes disagree, <see cref="Unknown"/> when
/// none could be read), and what each process was started with.
/// </summary>
public sealed record TelemetryState(string State, IReadOnlyList<ProcessTelemetry> Processes)
{
    public const string On = "on";
    public const string Sampled = "sampled";
    public const string Off = "off";
    public const string NoExporter = "no exporter";
    public const string Mixed = "mixed";
    public const string Unknown = "unknown";

    /// <summary>The variable whose "true" turns a process's OpenTelemetry SDK off (the AppHost's telemetry=off sets it).</summary>
    public const string SdkDisabledVariable = "OTEL_SDK_DISABLED";

    /// <summary>No service process could be read.</summary>
    public static TelemetryState NotRead { get; } = new(Unknown, []);

    /// <summary>The state of a run whose telemetry cost can be computed: every service on, every service sampled, or every service off.</summary>
    public bool IsKnown => State is On or Sampled or Off;
}

/// <summary>One service process: its telemetry state and the OpenTelemetry settings it was started with that change what telemetry costs.</summary>
public sealed record ProcessTelemetry(string Service, int ProcessId, string State, IReadOnlyDictionary<string, string> Settings);
