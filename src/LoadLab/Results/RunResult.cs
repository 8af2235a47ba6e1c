using PerfReference.LoadLab.Signals;

namespace PerfReference.LoadLab.Results;

/// <summary>
/// One run of one scenario, as written to results/&lt;scenario&gt;/&lt;UTC timestamp&gt;-&lt;profile&gt;.json:
/// the conditions (profile, load, machine, commit, command) and what each variant measured. The
/// log is generated from these files only. <see cref="Signals"/> holds the runtime signals of the
/// topology's processes during the run (absent in files written before the lab recorded them);
/// <see cref="Phases"/> when the variants ran one after another, when each ran.
/// </summary>
public sealed record RunResult(
    string Scenario,
    string Title,
    DateTimeOffset StartedUtc,
    DateTimeOffset FinishedUtc,
    double Rate,
    double DurationSeconds,
    double WarmupSeconds,
    string Profile,
    string BaseUrl,
    string Setup,
    MachineInfo Machine,
    string Commit,
    string Command,
    IReadOnlyList<VariantResult> Variants,
    IReadOnlyList<ProcessSignals>? Signals = null,
    IReadOnlyList<PhaseWindow>? Phases = null,
    IReadOnlyList<Profiling.HeapDumpSummary>? HeapDumps = null);

/// <summary>
/// When one variant of a phased run had the system to itself, in seconds from the run's start; for a
/// soak, the service's live heap (MB, after a full collection) before and after the phase.
/// </summary>
public sealed record PhaseWindow(string Variant, double FromSeconds, double ToSeconds)
{
    public double? LiveHeapMBBefore { get; init; }

    public double? LiveHeapMBAfter { get; init; }

    /// <summary>What the phase left reachable, per minute of the phase (null unless the live heap was measured).</summary>
    public double? LiveHeapGrowthMBPerMinute =>
        (LiveHeapMBBefore, LiveHeapMBAfter) is ({ } before, { } after) && ToSeconds > FromSeconds
            ? Math.Round((after - before) / ((ToSeconds - FromSeconds) / 60), 1)
            : null;
}

/// <summary>
/// One variant's figures. Latencies in milliseconds from the intended send time, over the
/// successful requests; <see cref="Histogram"/> is the HdrHistogram (µs) in its compressed,
/// base64-encoded form, so percentile curves can be redrawn from the file. The mean server times
/// come from the service's Server-Timing header (absent in files written before it reported them).
/// </summary>
public sealed record VariantResult(
    string Label,
    string Header,
    long Count,
    long Errors,
    IReadOnlyDictionary<string, long> ErrorsByKind,
    double Throughput,
    double P50Ms,
    double P90Ms,
    double P95Ms,
    double P99Ms,
    double P999Ms,
    double MaxMs,
    double MeanMs,
    double? MeanDbRoundtrips,
    double? MeanGrainCalls,
    double? MeanPaymentCalls,
    double MeanBytes,
    string Histogram,
    double? MeanServerMs = null,
    double? MeanDbMs = null,
    double? MeanGrainMs = null,
    double? MeanPaymentMs = null);

public sealed record MachineInfo(int Cores, double MemoryGiB, string Os, string Dotnet)
{
    /// <summary>
    /// The machine's 1-minute load average when the run started (Linux; null elsewhere and in older
    /// files): on a shared machine, how much else was running — a load well above the cores means
    /// the figures were taken on a busy machine.
    /// </summary>
    public double? LoadAverage { get; init; }

    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
        System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Environment.Version.ToString())
    {
        LoadAverage = ReadLoadAverage(),
    };

    private static double? ReadLoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
