namespace PerfReference.Performance;

/// <summary>
/// A per-request counter, declared once: what it counts (<see cref="Name"/>), the response header and the span tag that
/// carry each request's count, the histogram metric that records it (with its unit and description), and — when the load
/// lab keeps it — the field of a result file that holds its mean per request. Everything that reports or reads a counter
/// enumerates <see cref="All"/>: <see cref="PerfCounters"/> (the counts), the middleware (headers, tags),
/// <see cref="PerfMetrics"/> (histograms), and the lab (the sender reads the headers, the recorder averages them, the
/// results keep them). A new counter is one line here and the hook that counts it (docs/adding-an-entry.md).
/// </summary>
/// <param name="Metric">The histogram of the meter <c>PerfReference.Performance</c>; null for a count the metrics carry otherwise (cache lookups).</param>
/// <param name="ResultField">The lab's result field of its mean per request (<c>meanDbRoundtrips</c>); null when the lab does not keep it.</param>
public sealed record PerfCounter(string Name, string Header, string SpanTag, string? Metric, string Unit, string Description, string? ResultField = null)
{
    public static readonly PerfCounter DbRoundtrips = new("db roundtrips", "X-Perf-Db-Roundtrips", "perf.db.roundtrips",
        "perf.request.db_roundtrips", "{roundtrip}", "Commands or batches sent to PostgreSQL per request", "meanDbRoundtrips");

    public static readonly PerfCounter DbConnectionOpens = new("db connection opens", "X-Perf-Db-Connection-Opens", "perf.db.connection_opens",
        "perf.request.db_connection_opens", "{connection}", "Physical connections opened to PostgreSQL per request", "meanDbConnectionOpens");

    public static readonly PerfCounter GrainCalls = new("grain calls", "X-Perf-Grain-Calls", "perf.grain.calls",
        "perf.request.grain_calls", "{call}", "Grain calls made per request", "meanGrainCalls");

    /// <summary>The most grain calls a request had waiting at once: a maximum over the request, not a sum (<see cref="PerfCounters.GrainCallStarted"/>).</summary>
    public static readonly PerfCounter GrainConcurrency = new("grain concurrency", "X-Perf-Grain-Concurrency", "perf.grain.concurrency",
        "perf.request.grain_concurrency", "{call}", "Most grain calls a request had waiting at once");

    public static readonly PerfCounter PaymentCalls = new("payment calls", "X-Perf-Payment-Calls", "perf.payment.calls",
        "perf.request.payment_calls", "{call}", "Calls to the payment provider per request", "meanPaymentCalls");

    public static readonly PerfCounter RedisOperations = new("redis operations", "X-Perf-Redis-Ops", "perf.redis.operations",
        "perf.request.redis_operations", "{operation}", "Redis commands sent by the service's caches per request");

    /// <summary>Cache hits and misses: one counter of lookups tagged by their result (<see cref="PerfMetrics"/>), not a histogram each.</summary>
    public static readonly PerfCounter CacheHits = new("cache hits", "X-Perf-Cache-Hits", "perf.cache.hits", null, "{lookup}", "Cache lookups that found their entry");

    public static readonly PerfCounter CacheMisses = new("cache misses", "X-Perf-Cache-Misses", "perf.cache.misses", null, "{lookup}", "Cache lookups that did not");

    public static readonly PerfCounter BlockingCalls = new("blocking calls", "X-Perf-Blocking-Calls", "perf.blocking.calls",
        "perf.request.blocking_calls", "{call}", "Calls per request that held a thread while waiting for I/O (synchronous database or gRPC calls)");

    /// <summary>Every counter, in the order headers and tags are written.</summary>
    public static IReadOnlyList<PerfCounter> All { get; } =
        [DbRoundtrips, DbConnectionOpens, GrainCalls, GrainConcurrency, PaymentCalls, RedisOperations, CacheHits, CacheMisses, BlockingCalls];

    /// <summary>The counters the load lab keeps in its result files.</summary>
    public static IReadOnlyList<PerfCounter> Recorded { get; } = [.. All.Where(counter => counter.ResultField is not null)];

    /// <summary>This counter's place in <see cref="All"/>: where a request's count of it is kept.</summary>
    public int Index => IndexOf(this);

    private static int IndexOf(PerfCounter counter)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (ReferenceEquals(All[i], counter))
            {
                return i;
            }
        }

        throw new ArgumentException($"{counter.Name} is not in {nameof(PerfCounter)}.{nameof(All)}.", nameof(counter));
    }
}
