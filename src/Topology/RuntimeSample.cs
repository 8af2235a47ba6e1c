namespace PerfReference.Topology;

/// <summary>
/// OrdersService's runtime as <c>GET /api/diagnostics/runtime</c> answers it: the process-wide figures the load lab samples
/// while a variant runs on its own (no request can be charged with them), and the database's side.
/// </summary>
/// <param name="DatabaseBackendPid">The PostgreSQL server process that answered the sample (its parent is the postmaster).</param>
/// <param name="DatabaseSessions">pg_stat_database.sessions of the orders database: sessions started since the statistics were reset.</param>
public sealed record RuntimeSample(
    DateTimeOffset TakenUtc, long WorkingSetBytes, long AllocatedBytes, double CpuMs,
    int Gen0Collections, int Gen1Collections, int Gen2Collections, long HeapSizeBytes,
    int DatabaseBackendPid, long? DatabaseSessions);
