namespace PerfReference.Topology;

/// <summary>A fault drill as the AppHost's commands and the lab's log name it: its id, the fault in words, and what should happen.</summary>
public sealed record LabDrill(string Id, string Title, string Expectation);

/// <summary>The lab's fault drills (the lab pairs each with its fault), and the load of a drill that names none.</summary>
public static class LabDrills
{
    /// <summary>Checkouts a second: busy enough that a fault always catches some in flight.</summary>
    public const double Rate = 8;

    /// <summary>Long enough for the longest fault (the provider's 30 s outage) and the recovery after it.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(75);

    public static readonly LabDrill SiloKill = new("silo-kill", "A silo is killed",
        "the dead silo's grains are activated on the other one; the supervisor starts the silo again");

    public static readonly LabDrill RedisRestart = new("redis-restart", "Redis is killed and started again, then a silo",
        "503 with Retry-After while it is down; membership, grain state and the provider's records come back from the append-only file, " +
        "so the surviving silo carries on when its peer dies");

    public static readonly LabDrill PostgresConnections = new("postgres-connections", "PostgreSQL drops every connection",
        "the requests in the gap get 503 with Retry-After; nothing half-written; the payment worker resumes");

    public static readonly LabDrill PostgresRestart = new("postgres-restart", "PostgreSQL restarts (fast shutdown)",
        "the requests in the gap get 503 with Retry-After; nothing half-written; the payment worker resumes");

    public static readonly LabDrill PaymentsOutage = new("payments-outage", "The payment provider is down for 30 s",
        "the breaker opens and closes by itself; the optimized path keeps accepting; everything accepted settles afterwards");

    public static readonly LabDrill PaymentsSlow = new("payments-slow", "The payment provider takes 2 s a call for 20 s",
        "the optimized path answers without waiting for it; everything accepted settles afterwards");

    public static readonly LabDrill OrdersKill = new("orders-kill", "OrdersService is killed mid-checkout",
        "no authorisation is left that is never captured or released; the outbox finishes the work");

    public static readonly LabDrill SiloRollingRestart = new("silo-rolling-restart", "The silos restart one at a time, as a deployment rolls them",
        "each silo leaves the cluster gracefully (SIGTERM: its grains deactivate and come back on the other), and the next goes only once " +
        "its replacement is active and taking calls; checkouts carry on throughout, with no 5xx but 503 with Retry-After");

    public static readonly LabDrill SiloCutOff = new("silo-cut-off", "A silo is cut off from the cluster by its links for 20 s",
        "its links (silo to silo, clients to its gateway) drop everything: the other silo and the orders client stop hearing it, calls to its " +
        "grains end in 503 with Retry-After until the cluster declares it dead and activates them on the survivor; once the links heal, " +
        "a silo declared dead stops and the supervisor starts it again");

    public static readonly LabDrill PostgresFreeze = new("postgres-freeze", "PostgreSQL freezes for 10 s (SIGSTOP, then SIGCONT)",
        "the server and its backends stop answering without closing a connection: requests wait for it, what is past the admission limit " +
        "is shed with 503 and Retry-After, nothing is half-written, and everything resumes when it thaws");

    public static IReadOnlyList<LabDrill> All { get; } =
        [SiloKill, RedisRestart, PostgresConnections, PostgresRestart, PaymentsOutage, PaymentsSlow, OrdersKill, SiloRollingRestart, SiloCutOff, PostgresFreeze];

    public static LabDrill? Find(string id) => All.FirstOrDefault(drill => drill.Id == id);
}
