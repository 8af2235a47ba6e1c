namespace PerfReference.LoadLab.Results;

/// <summary>
/// What every result file carries, whatever it measured: when it ran, on which machine, from which commit, and the
/// command that does it again. Each kind of result adds its own figures to it (<see cref="MeasurementHeader"/>,
/// <see cref="DrillResult"/>), made from the header by the record's copy constructor; their files keep these fields at the
/// top level, as they always have.
/// </summary>
public record ResultHeader
{
    public required DateTimeOffset StartedUtc { get; init; }

    public required DateTimeOffset FinishedUtc { get; init; }

    public required MachineInfo Machine { get; init; }

    /// <summary>The commit the measured code was built from.</summary>
    public required string Commit { get; init; }

    /// <summary>The command that reproduces the result (with the system started as it was).</summary>
    public required string Command { get; init; }
}

/// <summary>
/// What every measurement of the running system carries besides (a run, a capacity search, a sweep, a ceiling): what it
/// measured, under which network profile, where it sent its load, what the setup prepared, the runtime signals of the
/// topology's processes and the round trips of its network links meanwhile, and a note of what was different about it.
/// </summary>
public record MeasurementHeader : ResultHeader
{
    /// <summary>The scenario measured (empty in ceiling files written before they named theirs).</summary>
    public string Scenario { get; init; } = "";

    public string Title { get; init; } = "";

    /// <summary>The network profile the system was started with (AppHost parameter network-profile).</summary>
    public required string Profile { get; init; }

    /// <summary>Where the load went: OrdersService, directly or through the client's link.</summary>
    public required string BaseUrl { get; init; }

    /// <summary>What the setup prepared, in a line (the order read, the customers, the products in the cache).</summary>
    public required string Setup { get; init; }

    /// <summary>The runtime signals of the topology's processes meanwhile (absent in files written before the lab recorded them).</summary>
    public IReadOnlyList<ProcessSignals>? Signals { get; init; }

    /// <summary>
    /// Each network link's round trip measured meanwhile, probed through the link beside the load (none on loopback;
    /// absent in files written before the lab probed them). A link more than 20 % over its profile marks <see cref="Condition"/>.
    /// </summary>
    public IReadOnlyList<LinkRoundTrip>? Links { get; init; }

    /// <summary>A note on what was different (the index dropped, PgBouncer in between, links slower than their profile); part of what the log keeps apart.</summary>
    public string? Condition { get; init; }

    /// <summary>
    /// The machine's 1-minute load average when the measurement ended (<see cref="MachineInfo.LoadAverage"/> has it when it
    /// began): on a machine shared with other work, how busy it was besides.
    /// </summary>
    public double? LoadAverageAfter { get; init; }

    /// <summary>
    /// Payments an earlier load left to the payment worker, still outstanding when this measurement began (0: the system
    /// was at rest; absent in files written before the lab waited for them, or when the service did not say).
    /// </summary>
    public int? UnsettledPayments { get; init; }
}

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
