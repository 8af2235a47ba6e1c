using System.Text.Json;
using System.Text.Json.Serialization;
using PerfReference.Performance;

namespace PerfReference.LoadLab.Results;

/// <summary>
/// What one variant's requests did, counted as they came back: how many, their errors by kind, the bytes of their bodies,
/// and what the service reported of each — its per-request counters (database round trips, grain and payment calls,
/// connection opens: means over the requests that reported them) and its <c>Server-Timing</c> (the mean time in the
/// service and waiting on each dependency, the 99th percentiles of the service's own time and of the time in PostgreSQL)
/// — and how late the lab sent them. A <see cref="VariantResult"/> is these totals with the latencies added.
/// </summary>
public record VariantTotals
{
    /// <summary>Requests recorded: answered, failed, or dropped.</summary>
    public long Count { get; init; }

    public long Errors { get; init; }

    public IReadOnlyDictionary<string, long> ErrorsByKind { get; init; } = new Dictionary<string, long>();

    /// <summary>
    /// The mean per request of each counter the lab keeps (<see cref="PerfCounter.Recorded"/>), by its result field
    /// (<c>"meanDbRoundtrips": 201.0</c>), null where no request reported it: in the file, fields of the variant's own, as
    /// they have always been, whatever counters there are.
    /// </summary>
    [JsonExtensionData]
    [JsonInclude]
    public Dictionary<string, JsonElement> CounterMeans { get; internal set; } = [];

    /// <summary>The mean per request of <paramref name="counter"/>; null where no request reported it (or the file is older than the counter).</summary>
    public double? MeanOf(PerfCounter counter) =>
        counter.ResultField is { } field && CounterMeans.TryGetValue(field, out var mean) && mean.ValueKind == JsonValueKind.Number ? mean.GetDouble() : null;

    /// <summary>The counters' means as <see cref="CounterMeans"/> keeps them.</summary>
    public static Dictionary<string, JsonElement> Means(IEnumerable<(PerfCounter Counter, double? Mean)> means) =>
        means.ToDictionary(m => m.Counter.ResultField ?? throw new ArgumentException($"{m.Counter.Name} has no result field."),
            m => Element(m.Mean), StringComparer.Ordinal);

    /// <summary>Response body bytes as the network carried them, per successful request.</summary>
    public double MeanBytes { get; init; }

    /// <summary>The mean time in the service until it answered (Server-Timing app); absent in files written before it reported it.</summary>
    public double? MeanServerMs { get; init; }

    public double? MeanDbMs { get; init; }

    public double? MeanGrainMs { get; init; }

    public double? MeanPaymentMs { get; init; }

    /// <summary>Time spent opening them, per request (Server-Timing db-connect).</summary>
    public double? MeanDbConnectMs { get; init; }

    /// <summary>
    /// The 99th percentile of the time a request spent in PostgreSQL (Server-Timing db, plus db-connect when it opened a
    /// connection): the query's own p99, opening included.
    /// </summary>
    public double? DbP99Ms { get; init; }

    /// <summary>
    /// The 99th percentile of the service's own time until it answered (Server-Timing app): a P99 well above it was
    /// spent outside the service — on the way there and back, in the lab, or in a queue before the service saw it.
    /// </summary>
    public double? ServerP99Ms { get; init; }

    /// <summary>
    /// How late the lab sent the variant's requests after their due time, 99th percentile and maximum (ms): the open
    /// loop counts latency from the due time, so these say how much of a P99 the lab itself could have added.
    /// </summary>
    public double? SendLatenessP99Ms { get; init; }

    public double? SendLatenessMaxMs { get; init; }

    /// <summary>How PostgreSQL read the measured table (X-Perf-Db-Plan), the most frequent answer; null when not reported.</summary>
    public string? DbPlan { get; init; }

    /// <summary>Where the grain calls on the requests' critical paths spent their time; null when no request made one (or the file is older).</summary>
    public GrainTimeSplit? GrainSplit { get; init; }

    /// <summary>Where the requests at or above the P99 spent their time; null when none reported its Server-Timing (or the file is older).</summary>
    public TailTimeSplit? Slowest { get; init; }

    private static JsonElement Element(double? mean) => JsonSerializer.SerializeToElement(mean, ResultJsonContext.Default.NullableDouble);
}

/// <summary>
/// One variant's figures: its <see cref="VariantTotals"/>, and its latencies in milliseconds from the intended send time,
/// over the successful requests. <see cref="Histogram"/> is the HdrHistogram (µs) in its compressed, base64-encoded form,
/// so percentile curves can be redrawn from the file.
/// </summary>
public sealed record VariantResult : VariantTotals
{
    [JsonConstructor]
    public VariantResult()
    {
    }

    /// <summary>The totals a recorder counted, with the latencies still to add.</summary>
    public VariantResult(VariantTotals totals) : base(totals)
    {
    }

    public required string Label { get; init; }

    /// <summary>The X-Perf-Variant header the variant's requests carried.</summary>
    public required string Header { get; init; }

    /// <summary>Successful requests per second of the measured window.</summary>
    public double Throughput { get; init; }

    public double P50Ms { get; init; }

    public double P90Ms { get; init; }

    public double P95Ms { get; init; }

    public double P99Ms { get; init; }

    public double P999Ms { get; init; }

    public double MaxMs { get; init; }

    public double MeanMs { get; init; }

    public string Histogram { get; init; } = "";

    /// <summary>The service's and the database's runtime during the variant's phase (scenarios that run variants in turn).</summary>
    public ServiceRuntime? Runtime { get; init; }
}
