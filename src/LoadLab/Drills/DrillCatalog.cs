namespace PerfReference.LoadLab.Drills;

/// <summary>
/// One fault drill: the fault, and how long the load runs before it (the baseline the recovery is
/// measured against). The books are the same for every drill.
/// </summary>
public sealed record Drill(string Id, string Title, string Expectation, Func<DrillTopology, Fault> Fault)
{
    /// <summary>Load before the fault: the latency the recovery is measured against.</summary>
    public TimeSpan Baseline { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>Where the servers a drill acts on listen (the ports of the topology's Redis and PostgreSQL).</summary>
public sealed record DrillTopology(int RedisPort);

/// <summary>The drills, in one table: the dashboard's commands, the CLI and the tests are made from it.</summary>
public static class DrillCatalog
{
    public static IReadOnlyList<Drill> All { get; } =
    [
        new("silo-kill", "A silo is killed",
            "the dead silo's grains are activated on the other one; the supervisor starts the silo again",
            _ => Faults.KillSilo),
        new("redis-restart", "Redis is killed and started again, then a silo",
            "503 with Retry-After while it is down; membership, grain state and the provider's records come back from the append-only file, " +
            "so the surviving silo carries on when its peer dies",
            topology => Faults.KillRedisThenSilo(topology.RedisPort)),
        new("postgres-connections", "PostgreSQL drops every connection",
            "the requests in the gap get 503 with Retry-After; nothing half-written; the payment worker resumes",
            _ => Faults.TerminateDatabaseConnectionsAsync),
        new("postgres-restart", "PostgreSQL restarts (fast shutdown)",
            "the requests in the gap get 503 with Retry-After; nothing half-written; the payment worker resumes",
            _ => Faults.RestartDatabaseAsync),
        new("payments-outage", "The payment provider is down for 30 s",
            "the breaker opens and closes by itself; the optimized path keeps accepting; everything accepted settles afterwards",
            _ => Faults.PaymentsOutage(TimeSpan.FromSeconds(30))),
        new("payments-slow", "The payment provider takes 2 s a call for 20 s",
            "the optimized path answers without waiting for it; everything accepted settles afterwards",
            _ => Faults.PaymentsSlow(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20))),
        new("orders-kill", "OrdersService is killed mid-checkout",
            "no authorisation is left that is never captured or released; the outbox finishes the work",
            _ => Faults.KillOrdersService),
    ];

    public static Drill? Find(string id) => All.FirstOrDefault(d => d.Id == id);
}
