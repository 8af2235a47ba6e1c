using PerfReference.Topology;

namespace PerfReference.LoadLab.Scenarios;

/// <summary>One run of a pass: a scenario (its journey, or over a client link of its own), so many times.</summary>
public sealed record PassRun(Scenario Scenario, int Times, bool Journey = false, string? ClientProfile = null)
{
    /// <summary>
    /// The load's own time: duration and warm-up, once for interleaved variants, once per variant for a scenario whose
    /// variants run one after the other.
    /// </summary>
    public TimeSpan LoadTime
    {
        get
        {
            var load = Scenario.Facts.LoadFor(Journey, ClientProfile);
            var phases = Scenario.IsPhased ? Scenario.Variants(Journey).Count : 1;
            return (load.Duration + load.Warmup) * phases * Times;
        }
    }
}

/// <summary>
/// What <c>scripts/measure-all.sh</c> runs for each of its arguments — every scenario the log quotes from that setup, with
/// its own load, three times for the spread of a ratio — and how long those loads take: the least a pass takes (each
/// run's setup, cold starts, heap dumps and the lab's own start come on top). <c>list</c> prints it, so no document types it.
/// </summary>
public static class MeasurementPasses
{
    /// <summary>Runs of each scenario a pass makes: the log's spread is over the newest three.</summary>
    public const int Repeats = 3;

    public sealed record Pass(string Arguments, string StartedWith, IReadOnlyList<PassRun> Runs)
    {
        public TimeSpan LoadTime => Runs.Aggregate(TimeSpan.Zero, (sum, run) => sum + run.LoadTime);
    }

    public static IReadOnlyList<Pass> All { get; } =
    [
        new("seed", "env 'Parameters__network-profile=seed' bash scripts/run.sh -c Release",
            [
                .. Measured(MeasuredOn.Network).Select(s => new PassRun(s, Repeats)),
                .. ScenarioTable.All.Where(s => s.HasJourney).Select(s => new PassRun(s, 1, Journey: true)),
                .. Measured(MeasuredOn.Soak).Select(s => new PassRun(s, 1)),
            ]),
        new("mobile", "env 'Parameters__network-profile=seed' 'Parameters__client-network-profile=mobile' bash scripts/run.sh -c Release",
            [new PassRun(ScenarioTable.Find(CatalogIds.Compression)!, Repeats, ClientProfile: NetworkProfile.Mobile.Name)]),
        new("loopback", "bash scripts/run.sh -c Release", [.. Measured(MeasuredOn.Database).Select(s => new PassRun(s, Repeats))]),
        new("loopback pgbouncer", "env 'Parameters__database-pooler=pgbouncer' bash scripts/run.sh -c Release",
            [new PassRun(ScenarioTable.Find(CatalogIds.ConnectionPooling)!, Repeats)]),
    ];

    private static IEnumerable<Scenario> Measured(MeasuredOn where) => ScenarioTable.All.Where(s => s.Facts.MeasuredOn == where);
}
