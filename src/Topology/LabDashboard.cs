namespace PerfReference.Topology;

/// <summary>
/// How the AppHost tells the load lab where the Aspire dashboard's telemetry API is (<c>/api/telemetry/*</c>, the API
/// <c>aspire otel</c> reads) and the key it asks for: the lab reads each run's representative traces from it.
/// </summary>
public static class LabDashboard
{
    /// <summary>The dashboard's address (its frontend, which serves the API too).</summary>
    public const string UrlVariable = "LoadLab__Dashboard__Url";

    /// <summary>The telemetry API's key (sent as <c>x-api-key</c>).</summary>
    public const string ApiKeyVariable = "LoadLab__Dashboard__ApiKey";
}
