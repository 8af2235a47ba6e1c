namespace PerfReference.Performance;

/// <summary>
/// What one request does to its dependencies, counted as it happens: the proof behind every
/// catalog entry ("200 round trips naive, 2 optimized"). Counted from instrumentation hooks (Npgsql's
/// activities, an Orleans call filter, a gRPC interceptor), not from the code under test.
/// </summary>
public sealed class PerfCounters
{
    private long _dbRoundtrips;
    private long _dbConnectionOpens;
    private long _dbConnectTicks;
    private long _grainCalls;
    private long _grainCallsInFlight;
    private long _maxGrainCallsInFlight;
    private long _paymentCalls;
    private long _redisOperations;
    private long _cacheHits;
    private long _cacheMisses;
    private long _blockingCalls;
    private long _dbTicks;
    private long _grainTicks;
    private long _paymentTicks;
    private readonly List<GrainCallSplit> _grainCallSplits = [];

    /// <summary>Commands or batches sent to PostgreSQL (each one a network round trip).</summary>
    public long DbRoundtrips => Interlocked.Read(ref _dbRoundtrips);

    /// <summary>
    /// Physical connections opened to PostgreSQL (TCP, startup, authentication, a server process forked):
    /// about 0 per request from a warm pool, 1 when every request opens its own (catalog entry connection-pooling).
    /// </summary>
    public long DbConnectionOpens => Interlocked.Read(ref _dbConnectionOpens);

    /// <summary>Time spent opening physical connections to PostgreSQL.</summary>
    public TimeSpan DbConnectTime => TimeSpan.FromTicks(Interlocked.Read(ref _dbConnectTicks));

    /// <summary>
    /// How PostgreSQL read the table of the request's measured query ("Seq Scan", "Index Scan", …), when the code
    /// asked the server for its plan (catalog entry missing-index); null otherwise.
    /// </summary>
    public string? DbPlan { get; private set; }

    public long GrainCalls => Interlocked.Read(ref _grainCalls);

    /// <summary>
    /// The most grain calls this request had waiting for an answer at once: 1 when it awaits each
    /// call before making the next, up to N when it fans N calls out. Equal call counts, different shapes.
    /// </summary>
    public long MaxGrainCallsInFlight => Interlocked.Read(ref _maxGrainCallsInFlight);

    public long PaymentCalls => Interlocked.Read(ref _paymentCalls);

    /// <summary>Commands sent to Redis by the service's own caches (each one a network round trip).</summary>
    public long RedisOperations => Interlocked.Read(ref _redisOperations);

    public long CacheHits => Interlocked.Read(ref _cacheHits);

    public long CacheMisses => Interlocked.Read(ref _cacheMisses);

    /// <summary>
    /// Calls that held their thread while waiting for I/O: synchronous database commands and
    /// synchronous (blocking) gRPC calls. Each one is a thread-pool thread doing nothing for a round trip.
    /// </summary>
    public long BlockingCalls => Interlocked.Read(ref _blockingCalls);

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

    public void CountDbRoundtrip() => Interlocked.Increment(ref _dbRoundtrips);

    public void AddDbTime(TimeSpan time) => Interlocked.Add(ref _dbTicks, time.Ticks);

    public void RecordDbPlan(string scanNode) => DbPlan = scanNode;

    public void CountDbConnectionOpen() => Interlocked.Increment(ref _dbConnectionOpens);

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
        Interlocked.Increment(ref _grainCalls);
        var inFlight = Interlocked.Increment(ref _grainCallsInFlight);
        var max = Interlocked.Read(ref _maxGrainCallsInFlight);
        while (inFlight > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxGrainCallsInFlight, inFlight, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    public void GrainCallAnswered() => Interlocked.Decrement(ref _grainCallsInFlight);

    public void CountPaymentCall() => Interlocked.Increment(ref _paymentCalls);

    public void CountRedisOperation() => Interlocked.Increment(ref _redisOperations);

    public void CountBlockingCall() => Interlocked.Increment(ref _blockingCalls);

    public void CountCacheLookups(int hits, int misses)
    {
        Interlocked.Add(ref _cacheHits, hits);
        Interlocked.Add(ref _cacheMisses, misses);
    }
}
