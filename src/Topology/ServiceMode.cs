namespace PerfReference.Topology;

/// <summary>
/// How a service of this system runs, from the configuration key <see cref="ConfigurationKey"/>
/// (environment <see cref="EnvironmentVariable"/>):
/// <list type="bullet">
/// <item><see cref="Lab"/>: the laboratory — a request may choose its variant (<c>X-Perf-Variant</c>), a request that
/// chooses none runs the naive code (the configured default), the counters come back as response headers, and the
/// lab's diagnostics endpoints (<c>/api/diagnostics/…</c>: full collections, cold starts, the lab feed's removal)
/// are mapped. The AppHost's development run and the tests run this.</item>
/// <item><see cref="Production"/>: a deployment — the optimized code only, whatever a request asks for; no
/// diagnostics endpoints; load shed with 503 past what the process can serve. The default: a process that is not
/// told it is the lab never hands the internet a switch to the naive code.</item>
/// </list>
/// </summary>
public static class ServiceMode
{
    public const string ConfigurationKey = "PerfReference:Mode";

    public const string EnvironmentVariable = "PerfReference__Mode";

    public const string Lab = "Lab";

    public const string Production = "Production";

    /// <summary>
    /// Whether <paramref name="configured"/> (the key's value, null when absent) is the lab. Anything but the two
    /// names is refused, so a typo cannot pass for either.
    /// </summary>
    public static bool IsLab(string? configured) => configured switch
    {
        null or "" => false,
        _ when configured.Equals(Lab, StringComparison.OrdinalIgnoreCase) => true,
        _ when configured.Equals(Production, StringComparison.OrdinalIgnoreCase) => false,
        _ => throw new InvalidOperationException($"{ConfigurationKey} is '{configured}'; use {Lab} or {Production} (the default)."),
    };
}
