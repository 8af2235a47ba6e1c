using System.Globalization;

namespace PerfReference.Topology;

/// <summary>
/// OrdersService's admission control as the lab meets it. On in every mode: past its limit of requests in flight the
/// service answers 503 with Retry-After at once — what the drills and the overload run measure. The lab's measurements
/// of the code (run, capacity, sweep, ceiling) send <see cref="BypassHeader"/>: they measure how each variant behaves
/// as it drowns, which a limit in front of it would hide. The header is honoured in the lab only (a deployment ignores it).
/// </summary>
public static class LabAdmission
{
    public const string BypassHeader = "X-Perf-Admission";

    public const string Bypass = "bypass";

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
