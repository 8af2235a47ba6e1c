using System.Globalization;

namespace PerfReference.Topology;

/// <summary>
/// OrdersService's admission control as the lab meets it: on in production, off in the lab unless the system is started
/// with it on (<see cref="EnabledSetting"/>) — past its limit of requests in flight the service answers 503 with
/// Retry-After at once, which is what the drills and the overload run measure; the lab's other measurements measure each
/// variant as it drowns, which a limit in front of it would hide.
/// </summary>
public static class LabAdmission
{
    /// <summary>The AppHost's setting that turns it on for a lab run (passed to OrdersService, a restarted one too).</summary>
    public const string EnabledSetting = "ServiceSettings:orders:PerfReference:Admission:Enabled=true";

    /// <summary>The same setting as an environment variable of the AppHost (<c>env '…' bash scripts/run.sh</c>).</summary>
    public static string EnabledEnvironment => EnabledSetting.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>The lab diagnostics endpoint that says how admission control is set (<see cref="AdmissionState"/>).</summary>
    public const string StatePath = "api/diagnostics/admission";
}

/// <summary>How OrdersService admits requests: whether it sheds at all, from how many in flight, and the Retry-After it gives.</summary>
public sealed record AdmissionState(bool Enabled, int MaxConcurrentRequests, int RetryAfterSeconds)
{
    /// <summary>"on, 40 in flight, Retry-After 1 s" or "off", as a result file records it.</summary>
    public string Describe() => Enabled
        ? string.Create(CultureInfo.InvariantCulture, $"on, {MaxConcurrentRequests} in flight, Retry-After {RetryAfterSeconds} s")
        : "off";
}
