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
    IReadOnlyList<Profiling.HeapDumpSummary>? HeapDumps = null)
{
    /// <summary>A note on what was different about this run (the index dropped, PgBouncer in between); part of what the log keeps apart.</summary>
    public string? Condition { get; init; }

    /// <summary>
    /// The profile of the client's link the load crossed into OrdersService (orders-link: AppHost parameter
    /// client-network-profile); null in files written before the lab recorded it, whose client link had <see cref="Profile"/>.
    /// </summary>
    public string? ClientProfile { get; init; }

    /// <summary>The client's link, when it had a profile other than the system's (a mobile client of a datacenter): part of what the log keeps apart and names.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? OwnClientProfile => ClientProfile is { } client && client != Profile ? client : null;

    /// <summary>The variants ran one after another, each on its own (process-wide figures), rather than interleaved.</summary>
    public bool VariantsInTurn { get; init; }

    /// <summary>What every request carried, when the proving metric is a rate of work (rows per second).</summary>
    public Scenarios.WorkPerRequest? Work { get; init; }

    /// <summary>
    /// The machine's 1-minute load average when the run ended (/proc/loadavg; <see cref="MachineInfo.LoadAverage"/>
    /// has it when the run began): on a machine shared with other work, how busy it was besides the run.
    /// </summary>
    public double? LoadAverageAfter { get; init; }

    /// <summary>
    /// Each network link's round trip measured during the run, probed through the link beside the load (none on loopback;
    /// absent in files written before the lab probed them). A link more than 20 % over its profile marks the run's
    /// <see cref="Condition"/>.
    /// </summary>
    public IReadOnlyList<Links.LinkRoundTrip>? Links { get; init; }
}

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
    double? MeanPaymentMs = null)
{
    /// <summary>Physical connections opened to PostgreSQL per request (X-Perf-Db-Connection-Opens).</summary>
    public double? MeanDbConnectionOpens { get; init; }

    /// <summary>Time spent opening them, per request (Server-Timing db-connect).</summary>
    public double? MeanDbConnectMs { get; init; }

    /// <summary>
    /// The 99th percentile of the time a request spent in PostgreSQL (Server-Timing db, plus db-connect when it opened a
    /// connection): the query's own p99, opening included.
    /// </summary>
    public double? DbP99Ms { get; init; }

    /// <summary>
    /// The 99th percentile of the service's own time until it answered (Server-Timing app): a P99 well above it was
    /// spent outside the service — on the way there and back, in the lab, or in a queue before the service saw it.
    /// </summary>
    public double? ServerP99Ms { get; init; }

    /// <summary>
    /// How late the lab sent the variant's requests after their due time, 99th percentile and maximum (ms): the open
    /// loop counts latency from the due time, so these say how much of a P99 the lab itself could have added.
    /// </summary>
    public double? SendLatenessP99Ms { get; init; }

    public double? SendLatenessMaxMs { get; init; }

    /// <summary>How PostgreSQL read the measured table (X-Perf-Db-Plan), the most frequent answer; null when not reported.</summary>
    public string? DbPlan { get; init; }

    /// <summary>The service's and the database's runtime during the variant's phase (scenarios that run variants in turn).</summary>
    public ServiceRuntime? Runtime { get; init; }
}

/// <summary>
/// Process-wide figures of one variant's phase: the service's working set at the start (after a full collection) and
/// at its peak, and per measured request — net of what the system does at rest, measured just before — its
/// allocations, its CPU, PostgreSQL's CPU (the server's whole process tree, when it runs on this machine) and the
/// sessions PostgreSQL started.
/// </summary>
public sealed record ServiceRuntime(
    double WorkingSetStartMiB,
    double WorkingSetPeakMiB,
    double AllocatedBytesPerRequest,
    double CpuMsPerRequest,
    int Gen2Collections,
    double? DatabaseCpuMsPerRequest,
    double? DatabaseSessionsPerRequest);

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

    /// <summary>The 1-minute load average now, where the system reports one (Linux).</summary>
    public static double? ReadLoadAverage()
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
