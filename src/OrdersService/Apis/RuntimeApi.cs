using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using PerfReference.Topology;

namespace PerfReference.OrdersService.Apis;

/// <summary>
/// The process-wide figures the load lab samples while a variant runs on its own (catalog entries unbounded-results
/// and connection-pooling): the service's working set, its allocations, CPU and collections — no request can be
/// charged with those — and the database's side: how many sessions it has started, and which server process
/// answers (so a lab on the same machine can read PostgreSQL's CPU from /proc).
/// </summary>
public static class RuntimeApi
{
    public static RouteGroupBuilder MapRuntimeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/diagnostics/runtime").WithTags("Diagnostics");
        api.MapGet("/", SampleAsync).WithName("RuntimeSample");
        return api;
    }

    public static async Task<Ok<RuntimeSample>> SampleAsync(NpgsqlDataSource database, CancellationToken ct)
    {
        using var process = Process.GetCurrentProcess();
        await using var command = database.CreateCommand(
            "SELECT pg_backend_pid(), (SELECT sessions FROM pg_stat_database WHERE datname = current_database())");
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return TypedResults.Ok(new RuntimeSample(
            DateTimeOffset.UtcNow,
            process.WorkingSet64,
            GC.GetTotalAllocatedBytes(precise: false),
            process.TotalProcessorTime.TotalMilliseconds,
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            GC.GetGCMemoryInfo().HeapSizeBytes,
            reader.GetInt32(0),
            reader.IsDBNull(1) ? null : reader.GetInt64(1)));
    }
}
