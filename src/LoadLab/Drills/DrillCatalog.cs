using PerfReference.Topology;

namespace PerfReference.LoadLab.Drills;

/// <summary>
/// One fault drill: what the AppHost and the log know of it (<see cref="LabDrill"/>: id, title, what should happen), the
/// fault, and how long the load runs before it (the baseline the recovery is measured against). The books are the same
/// for every drill.
/// </summary>
public sealed record Drill(LabDrill Facts, Func<DrillTopology, Fault> Fault)
{
    public string Id => Facts.Id;

    public string Title => Facts.Title;

    public string Expectation => Facts.Expectation;

    /// <summary>Load before the fault: the latency the recovery is measured against.</summary>
    public TimeSpan Baseline { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>Where the servers a drill acts on listen (the ports of the topology's Redis and PostgreSQL).</summary>
public sealed record DrillTopology(int RedisPort);

/// <summary>The drills, in one table: each of <see cref="LabDrills"/> with its fault. The dashboard's commands, the CLI and the tests are made from it.</summary>
public static class DrillCatalog
{
    public static IReadOnlyList<Drill> All { get; } =
    [
        new(LabDrills.SiloKill, _ => Faults.KillSilo),
        new(LabDrills.RedisRestart, topology => Faults.KillRedisThenSilo(topology.RedisPort)),
        new(LabDrills.PostgresConnections, _ => Faults.TerminateDatabaseConnectionsAsync),
        new(LabDrills.PostgresRestart, _ => Faults.RestartDatabaseAsync),
        new(LabDrills.PaymentsOutage, _ => Faults.PaymentsOutage(TimeSpan.FromSeconds(30))),
        new(LabDrills.PaymentsSlow, _ => Faults.PaymentsSlow(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20))),
        new(LabDrills.OrdersKill, _ => Faults.KillOrdersService),
        // The next silo goes once the orders client has had time to find the new one's gateway (its gateway list refresh, 5 s).
        new(LabDrills.SiloRollingRestart, _ => Faults.RestartSilosOneByOne(settle: TimeSpan.FromSeconds(5))),
        new(LabDrills.SiloCutOff, _ => Faults.CutSiloOff(TimeSpan.FromSeconds(20))),
        new(LabDrills.PostgresFreeze, _ => Faults.FreezeDatabase(TimeSpan.FromSeconds(10))),
    ];

    public static Drill? Find(string id) => All.FirstOrDefault(d => d.Id == id);

    /// <summary>The drill of this id, or one clear line naming the drills there are.</summary>
    public static Drill Require(string id) =>
        Find(id) ?? throw new LabInputException($"'{id}' is not a drill; drills: {string.Join(", ", All.Select(d => d.Id))}.");
}
