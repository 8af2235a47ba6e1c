namespace PerfReference.Performance;

/// <summary>
/// What one request does to its dependencies, counted as it happens: the proof behind every
/// catalog entry ("200 round trips naive, 2 optimized"). Counted from instrumentation hooks (Npgsql's
/// activities, an Orleans call filter, a gRPC interceptor), not from the code under test: a count of each
/// <see cref="PerfCounter"/> (a hook counts one with <see cref="Count"/>), and the time spent waiting on each dependency.
/// </summary>
public sealed class PerfCounters
{
    private readonly long[] _counts = new long[PerfCounter.All.Count];
    private long _grainCallsInFlight;
    private long _dbConnectTicks;
    private long _dbTicks;
    private long _grainTicks;
    private long _paymentTicks;
    private readonly List<GrainCallSplit> _grainCallSplits = [];

    /// <summary>This request's count of <paramref name="counter"/> so far.</summary>
    public long this[PerfCounter counter] => Interlocked.Read(ref _counts[counter.Index]);

    /// <summary>Counts <paramref name="n"/> more of <paramref name="counter"/> against this request.</summary>
    public void Count(PerfCounter counter, long n = 1) => Interlocked.Add(ref _counts[counter.Index], n);

    /// <summary>Commands or batches sent to PostgreSQL (each one a network round trip).</summary>
    public long DbRoundtrips => this[PerfCounter.DbRoundtrips];

    /// <summary>
    /// Physical connections opened to PostgreSQL (TCP, startup, authentication, a server process forked):
    /// about 0 per request from a warm pool, 1 when every request opens its own (catalog entry connection-pooling).
    /// </summary>
    public long DbConnectionOpens => this[PerfCounter.DbConnectionOpens];

    /// <summary>Time spent opening physical connections to PostgreSQL.</summary>
    public TimeSpan DbConnectTime => TimeSpan.FromTicks(Interlocked.Read(ref _dbConnectTicks));

    /// <summary>
    /// How PostgreSQL read the table of the request's measured query ("Seq Scan", "Index Scan", …), when the code
    /// asked the server for its plan (catalog entry missing-index); null otherwise.
    /// </summary>
    public string? DbPlan { get; private set; }

    public long GrainCalls => this[PerfCounter.GrainCalls];

    /// <summary>
    /// The most grain calls this request had waiting for an answer at once: 1 when it awaits each
    /// call before making the next, up to N when it fans N calls out. Equal call counts, different shapes.
    /// </summary>
    public long MaxGrainCallsInFlight => this[PerfCounter.GrainConcurrency];

    public long PaymentCalls => this[PerfCounter.PaymentCalls];

    /// <summary>Commands sent to Redis by the service's own caches (each one a network round trip).</summary>
    public long RedisOperations => this[PerfCounter.RedisOperations];

    public long CacheHits => this[PerfCounter.CacheHits];

    public long CacheMisses => this[PerfCounter.CacheMisses];

    /// <summary>
    /// Calls that held their thread while waiting for I/O: synchronous database commands and
    /// synchronous (blocking) gRPC calls. Each one is a thread-pool thread doing nothing for a round trip.
    /// </summary>
    public long BlockingCalls => this[PerfCounter.BlockingCalls];

    /// <summary>Time spent in PostgreSQL commands, from sending each to reading its last row.</summary>
    public TimeSpan DbTime => TimeSpan.FromTicks(Interlocked.Read(ref _dbTicks));

    /// <summary>Time spent waiting for grain calls, summed over the calls (overlapping calls each count).</summary>
    public TimeSpan GrainTime => TimeSpan.FromTicks(Interlocked.Read(ref _grainTicks));

    /// <summary>Time spent waiting for the payment provider, summed over the calls (retry pauses not included).</summary>
    public TimeSpan PaymentTime => TimeSpan.FromTicks(Interlocked.Read(ref _paymentTicks));

    /// <summary>
    /// Where the request's grain time went: link, silo wait and run of the calls on its critical path, and the longest
    /// wait of any one call; from the calls whose silo reported its part (<see cref="RecordGrainCallSplit"/>).
    /// </summary>
    public GrainCallPath GrainPath
    {
        get
        {
            lock (_grainCallSplits)
            {
                return GrainCallPath.Of(_grainCallSplits);
            }
        }
    }

    public void CountDbRoundtrip() => Count(PerfCounter.DbRoundtrips);

    public void AddDbTime(TimeSpan time) => Interlocked.Add(ref _dbTicks, time.Ticks);

    public void RecordDbPlan(string scanNode) => DbPlan = scanNode;

    public void CountDbConnectionOpen() => Count(PerfCounter.DbConnectionOpens);

    public void AddDbConnectTime(TimeSpan time) => Interlocked.Add(ref _dbConnectTicks, time.Ticks);

    public void AddGrainTime(TimeSpan time) => Interlocked.Add(ref _grainTicks, time.Ticks);

    public void AddPaymentTime(TimeSpan time) => Interlocked.Add(ref _paymentTicks, time.Ticks);

    /// <summary>A grain call answered with the silo's account of its wait and run.</summary>
    public void RecordGrainCallSplit(GrainCallSplit split)
    {
        lock (_grainCallSplits)
        {
            _grainCallSplits.Add(split);
        }
    }

    /// <summary>A grain call leaves; pair it with <see cref="GrainCallAnswered"/> when its answer (or failure) is back.</summary>
    public void GrainCallStarted()
    {
        Count(PerfCounter.GrainCalls);
        var inFlight = Interlocked.Increment(ref _grainCallsInFlight);
        ref var max = ref _counts[PerfCounter.GrainConcurrency.Index];
        for (var seen = Interlocked.Read(ref max); inFlight > seen;)
        {
            var previous = Interlocked.CompareExchange(ref max, inFlight, seen);
            if (previous == seen)
            {
                break;
            }

            seen = previous;
        }
    }

    public void GrainCallAnswered() => Interlocked.Decrement(ref _grainCallsInFlight);

    public void CountPaymentCall() => Count(PerfCounter.PaymentCalls);

    public void CountRedisOperation() => Count(PerfCounter.RedisOperations);

    public void CountBlockingCall() => Count(PerfCounter.BlockingCalls);

    public void CountCacheLookups(int hits, int misses)
    {
        Count(PerfCounter.CacheHits, hits);
        Count(PerfCounter.CacheMisses, misses);
    }
}
