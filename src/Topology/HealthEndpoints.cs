namespace PerfReference.Topology;

/// <summary>
/// The paths every service answers health probes on (mapped by the ServiceDefaults' <c>MapDefaultEndpoints</c>):
/// the AppHost's health checks, the load lab and the tests probe them, and telemetry leaves them out.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Every health check passes: the service may take traffic (readiness).</summary>
    public const string Health = "/health";

    /// <summary>The process answers (liveness): only the checks tagged "live".</summary>
    public const string Alive = "/alive";

    public static bool IsProbe(string path) => IsUnder(path, Health) || IsUnder(path, Alive);

    private static bool IsUnder(string path, string segment) =>
        path.StartsWith(segment, StringComparison.OrdinalIgnoreCase) && (path.Length == segment.Length || path[segment.Length] == '/');
}
