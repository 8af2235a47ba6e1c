using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// What one run measured, apart from how well: the scenario, the system's profile, the client's link when it had a
/// profile of its own, the variants (a pair, or the journey's staircase) and the notes of another setup
/// (<see cref="RunMarks.SetupOf"/>). Runs of one setup answer the same question; the newest of them replace the older.
/// </summary>
public sealed record RunSetup(string Scenario, string Profile, string? ClientProfile, int Variants, string? Condition)
{
    public static RunSetup Of(RunResult run) => new(run.Scenario, run.Profile, run.OwnClientProfile, run.Variants.Count, RunMarks.SetupOf(run.Condition));

    public bool IsJourney => Variants > 2;
}

/// <summary>
/// The runs of one setup: <see cref="Current"/>, the runs the log quotes (newest first), and <see cref="Earlier"/>, every
/// other run — older rates, runs whose P99 is known to be off, runs in which a variant failed — which the entry's page
/// lists at its bottom. The current runs are the newest up to three of the newest run's rate and condition, leaving out
/// runs whose P99 counted the lab's own lateness where others exist (that measurement is known to be off).
/// </summary>
public sealed record SetupRuns(RunSetup Setup, IReadOnlyList<RunResult> Current, IReadOnlyList<RunResult> Earlier)
{
    /// <summary>Runs a headline ratio spreads over.</summary>
    public const int QuotedRunCount = 3;

    /// <summary>Requests a variant below which a run is current only when its setup has no run with more (a P99 of fewer is little more than the slowest one).</summary>
    public const int EnoughRequests = 300;

    public RunResult? Newest => Current.Count > 0 ? Current[0] : null;

    public static SetupRuns Of(RunSetup setup, IEnumerable<RunResult> runs)
    {
        var all = runs.OrderByDescending(r => r.StartedUtc).ThenBy(r => r.Command, StringComparer.Ordinal).ToArray();
        var usable = all.Where(r => !RunMarks.Failed(r)).ToArray();
        var enough = usable.Where(r => r.Variants.All(v => v.Count >= EnoughRequests)).ToArray();
        var pool = enough.Length > 0 ? enough : usable;
        var sound = pool.Where(r => !RunMarks.LabLate(r)).ToArray();
        pool = sound.Length > 0 ? sound : pool;
        RunResult[] current = pool.Length == 0
            ? []
            : [.. pool.Where(r => r.Rate.Equals(pool[0].Rate) && r.Condition == pool[0].Condition).Take(QuotedRunCount)];
        return new SetupRuns(setup, current, [.. all.Where(r => !current.Contains(r))]);
    }
}

/// <summary>
/// Every run, search and sweep of one scenario, sorted into what the log quotes now and what newer measurements
/// replaced: runs by setup (<see cref="SetupRuns"/>), capacity searches by profile, service level and mode, sweeps by
/// profile and setup — the newest of each current, the rest earlier.
/// </summary>
public sealed class RunHistory
{
    private RunHistory(string scenario, IReadOnlyList<SetupRuns> setups, IReadOnlyList<CapacityResult> capacities,
        IReadOnlyList<CapacityResult> earlierCapacities, IReadOnlyList<SweepResult> sweeps, IReadOnlyList<SweepResult> earlierSweeps) =>
        (Scenario, Setups, Capacities, EarlierCapacities, Sweeps, EarlierSweeps) = (scenario, setups, capacities, earlierCapacities, sweeps, earlierSweeps);

    public string Scenario { get; }

    /// <summary>Every setup with its current and earlier runs: nearest network first, the system's profile alone before a client link of its own, pairs before the journey.</summary>
    public IReadOnlyList<SetupRuns> Setups { get; }

    /// <summary>The newest capacity search of each profile, service level and mode.</summary>
    public IReadOnlyList<CapacityResult> Capacities { get; }

    public IReadOnlyList<CapacityResult> EarlierCapacities { get; }

    /// <summary>The newest sweep of each profile and setup.</summary>
    public IReadOnlyList<SweepResult> Sweeps { get; }

    public IReadOnlyList<SweepResult> EarlierSweeps { get; }

    /// <summary>Runs the log quotes now, setup by setup.</summary>
    public IEnumerable<SetupRuns> Quoted => Setups.Where(s => s.Current.Count > 0);

    public bool IsEmpty => !Quoted.Any() && Capacities.Count == 0 && Sweeps.Count == 0;

    public static RunHistory Of(string scenario, LogInputs inputs)
    {
        var setups = inputs.Runs.Where(r => r.Scenario == scenario)
            .GroupBy(RunSetup.Of)
            .Select(g => SetupRuns.Of(g.Key, g))
            .OrderBy(s => ProfileOrder(s.Setup.Profile)).ThenBy(s => s.Setup.Profile, StringComparer.Ordinal)
            .ThenBy(s => s.Setup.ClientProfile is { } client ? ProfileOrder(client) : -1)
            .ThenBy(s => s.Setup.Variants)
            .ThenBy(s => s.Setup.Condition ?? "", StringComparer.Ordinal)
            .ToArray();
        var (capacities, earlierCapacities) = NewestOfEach(inputs.Capacities.Where(c => c.Scenario == scenario && c.Variants.Count > 0),
            c => $"{c.Profile}|{c.SloP99Ms.ToString(System.Globalization.CultureInfo.InvariantCulture)}|{c.Mode}|{RunMarks.SetupOf(c.Condition)}");
        var (sweeps, earlierSweeps) = NewestOfEach(inputs.Sweeps.Where(s => s.Scenario == scenario), s => $"{s.Profile}|{RunMarks.SetupOf(s.Condition)}");
        return new RunHistory(scenario, setups,
            [.. capacities.OrderBy(c => ProfileOrder(c.Profile)).ThenBy(c => c.Profile, StringComparer.Ordinal).ThenBy(c => c.SloP99Ms).ThenBy(c => c.Mode == CapacityResult.Phased ? 0 : 1)],
            earlierCapacities,
            [.. sweeps.OrderBy(s => ProfileOrder(s.Profile)).ThenBy(s => s.Profile, StringComparer.Ordinal)],
            earlierSweeps);
    }

    /// <summary>
    /// The setups of two variants (naive and optimized) with current runs: those measured as often as a headline quotes
    /// first (up to <see cref="SetupRuns.QuotedRunCount"/>), then the newest — so that one exploratory run under another
    /// profile does not displace three, while a setup measured anew as often replaces an older one.
    /// </summary>
    public IEnumerable<SetupRuns> Pairs => Quoted.Where(s => !s.Setup.IsJourney)
        .OrderByDescending(s => Math.Min(s.Current.Count, SetupRuns.QuotedRunCount))
        .ThenByDescending(s => s.Newest!.StartedUtc);

    /// <summary>Every run newer ones replaced, newest first.</summary>
    public IReadOnlyList<RunResult> EarlierRuns => [.. Setups.SelectMany(s => s.Earlier).OrderByDescending(r => r.StartedUtc)];

    private static (IReadOnlyList<T> Newest, IReadOnlyList<T> Earlier) NewestOfEach<T>(IEnumerable<T> results, Func<T, string> key) where T : MeasurementHeader
    {
        var groups = results.GroupBy(key, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(r => r.StartedUtc).ThenBy(r => r.Command, StringComparer.Ordinal).ToArray())
            .ToArray();
        return ([.. groups.Select(g => g[0])], [.. groups.SelectMany(g => g.Skip(1)).OrderByDescending(r => r.StartedUtc)]);
    }

    /// <summary>Profiles from the nearest network to the farthest, as the proxy lists them.</summary>
    public static int ProfileOrder(string profile) =>
        NetworkProfile.All.Select(p => p.Name).ToList().IndexOf(profile) is var index and >= 0 ? index : int.MaxValue;
}
