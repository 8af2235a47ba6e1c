using PerfReference.Hosting.Postgres;

namespace PerfReference.AppHost;

/// <summary>
/// PostgreSQL's defaults fit a server on any machine, so they fit none: 128 MB of shared buffers, a checkpoint every
/// five minutes or every gigabyte of log. The orders database outgrows that: every checkout adds its lines to
/// order_lines and to its three indexes, every lab run adds thousands of checkouts, and the indexes alone soon exceed
/// the buffers. Under a load of checkouts the server's own processes then wrote dirty pages out to make room for the
/// next (pg_stat_bgwriter's buffers_backend). Sized as a production server is — shared buffers from the machine's
/// memory (PostgreSQL's guide starts at a quarter; here an eighth, since the server shares the machine with the whole
/// system) and checkpoints a quarter of an hour apart — those writes fell to a fraction, and the optimized checkout's tail
/// at 20 a second was shorter in both pairs of runs side by side (the load lab's page, "The database sized for its
/// machine"). A deployment sizes its own server: deploy/kubernetes's in-cluster PostgreSQL, a pod of 1 GiB, keeps the image's defaults.
/// </summary>
internal static class DatabaseSizing
{
    private const long Megabyte = 1024 * 1024;

    /// <summary>Shared buffers an eighth of <paramref name="totalMemoryBytes"/>, from PostgreSQL's default of 128 MB up to 2 GB.</summary>
    public static long SharedBuffersMegabytes(long totalMemoryBytes) => Math.Clamp(totalMemoryBytes / 8 / Megabyte, 128, 2048);

    public static IResourceBuilder<PostgresServerResource> SizedForThisMachine(this IResourceBuilder<PostgresServerResource> postgres) =>
        postgres
            .WithServerSetting("shared_buffers", $"{SharedBuffersMegabytes(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)}MB")
            .WithServerSetting("checkpoint_timeout", "15min")
            // Checkpoints by time rather than by log volume: 20 checkouts a second write about 1.5 GB of log in fifteen minutes.
            .WithServerSetting("max_wal_size", "4GB");
}
