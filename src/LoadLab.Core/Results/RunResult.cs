using System.Diagnostics.CodeAnalysis;

namespace PerfReference.LoadLab.Results;

/// <summary>
/// One run of one scenario, as written to results/&lt;scenario&gt;/&lt;UTC timestamp&gt;-&lt;profile&gt;.json: the header
/// (<see cref="MeasurementHeader"/>), the load (rate, duration, warm-up) and what each variant measured. The log is
/// generated from these files only. <see cref="Phases"/>: when the variants ran one after another, when each ran.
/// </summary>
public sealed record RunResult : MeasurementHeader
{
    public RunResult()
    {
    }

    /// <summary>A result with the header every measurement shares; its own figures are set after.</summary>
    [SetsRequiredMembers]
    public RunResult(MeasurementHeader header) : base(header)
    {
    }

    /// <summary>Arrivals per second, all variants together.</summary>
    public double Rate { get; init; }

    public double DurationSeconds { get; init; }

    public double WarmupSeconds { get; init; }

    public IReadOnlyList<VariantResult> Variants { get; init; } = [];

    public IReadOnlyList<PhaseWindow>? Phases { get; init; }

    /// <summary>The heap dumps taken during the run (--gcdump), if any.</summary>
    public IReadOnlyList<HeapDumpSummary>? HeapDumps { get; init; }

    /// <summary>
    /// The profile of the client's link the load crossed into OrdersService (orders-link: AppHost parameter
    /// client-network-profile); null in files written before the lab recorded it, whose client link had <see cref="MeasurementHeader.Profile"/>.
    /// </summary>
    public string? ClientProfile { get; init; }

    /// <summary>The client's link, when it had a profile other than the system's (a mobile client of a datacenter): part of what the log keeps apart and names.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? OwnClientProfile => ClientProfile is { } client && client != Profile ? client : null;

    /// <summary>The variants ran one after another, each on its own (process-wide figures), rather than interleaved.</summary>
    public bool VariantsInTurn { get; init; }

    /// <summary>What every request carried, when the proving metric is a rate of work (rows per second).</summary>
    public WorkPerRequest? Work { get; init; }

    /// <summary>The load sent beside the measured requests and recorded in neither variant, when the scenario has one.</summary>
    public CompanionResult? Companion { get; init; }
}

/// <summary>
/// A companion load as it ran: its requests in words, its rate (arrivals per second) and its figures — requests, errors,
/// latencies from their intended send times — under its own label, never one of the measured variants'.
/// </summary>
public sealed record CompanionResult(string Request, double Rate, VariantResult Figures);

/// <summary>An amount of work every request of a scenario carries, e.g. 10,000 rows.</summary>
public sealed record WorkPerRequest(long Amount, string Unit);

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
