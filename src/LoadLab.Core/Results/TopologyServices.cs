namespace PerfReference.LoadLab.Results;

/// <summary>
/// The services of the topology as the lab names their processes in its results (the AppHost's resource names), in the
/// order the log lists them.
/// </summary>
public static class TopologyServices
{
    public const string Orders = "orders";
    public const string Silo = "silo";
    public const string Payments = "payments";

    /// <summary>The latency proxies the AppHost starts, one process per link, all counted as one service.</summary>
    public const string NetworkLinks = "network-links";

    /// <summary>
    /// The Aspire dashboard the AppHost starts: not a service of the system, but on this machine it receives the
    /// telemetry on the same cores (watched by the ceiling, for the cost of telemetry).
    /// </summary>
    public const string Dashboard = "dashboard";

    public static IReadOnlyList<string> All { get; } = [Orders, Silo, Payments, NetworkLinks, Dashboard];

    /// <summary>The services that run OpenTelemetry (the latency proxies do not).</summary>
    public static IReadOnlyList<string> WithTelemetry { get; } = [Orders, Silo, Payments];
}
