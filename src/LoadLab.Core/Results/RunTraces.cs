namespace PerfReference.LoadLab.Results;

/// <summary>
/// The representative traces of one run, written beside its result (<c>results/&lt;scenario&gt;/&lt;UTC time&gt;-&lt;profile&gt;.traces.json</c>):
/// for each variant the request nearest its p50 and the one nearest its P99, span by span, as the dashboard held them
/// while the system ran. The log's trace diff is computed from these files, so it regenerates like every other figure.
/// Only what the diff needs is kept (<see cref="TraceSpan"/>): nothing a span might carry of a connection or a key.
/// </summary>
public sealed record RunTraces
{
    /// <summary>The traces file beside a result file: its name with <c>.traces.json</c> for <c>.json</c>.</summary>
    public const string FileSuffix = ".traces.json";

    public required string Scenario { get; init; }

    /// <summary>When the run started, as its result says: the pair's key.</summary>
    public required DateTimeOffset StartedUtc { get; init; }

    /// <summary>The result file they belong to (its name, in the same folder).</summary>
    public required string Result { get; init; }

    public IReadOnlyList<VariantTraces> Variants { get; init; } = [];

    /// <summary>Where the traces of a result file go.</summary>
    public static string PathBeside(string resultPath) =>
        Path.Combine(Path.GetDirectoryName(resultPath) ?? "", Path.GetFileNameWithoutExtension(resultPath) + FileSuffix);

    /// <summary>Every run's kept traces under a results folder (each beside its result), in file order; none when there is no folder.</summary>
    public static IReadOnlyList<RunTraces> ReadAll(string resultsDirectory) => Directory.Exists(resultsDirectory)
        ? [.. Directory.EnumerateFiles(resultsDirectory, "*" + FileSuffix, SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => JsonFiles.Read(path, JsonFiles.Json.RunTraces))]
        : [];

    /// <summary>The trace of <paramref name="variant"/> nearest <paramref name="percentile"/> ("p50", "p99"); null when none was kept.</summary>
    public RepresentativeTrace? Of(string variant, string percentile) =>
        Variants.FirstOrDefault(v => v.Label == variant)?.Traces.FirstOrDefault(t => t.Percentile == percentile);
}

/// <summary>One variant's representative traces, as its label and header name it in the result.</summary>
public sealed record VariantTraces(string Label, string Header, IReadOnlyList<RepresentativeTrace> Traces);

/// <summary>
/// The trace of the request nearest a percentile of its variant: the percentile ("p50", "p99") and its value, the
/// request's own latency (both from the intended send time, as the result's), its trace id, and its spans.
/// </summary>
public sealed record RepresentativeTrace(string Percentile, double PercentileMs, double LatencyMs, string TraceId, IReadOnlyList<TraceSpan> Spans)
{
    public const string P50 = "p50";
    public const string P99 = "p99";
}

/// <summary>
/// One span of a kept trace: its id and parent's, the service (resource) that recorded it, its name and kind (server,
/// client, internal, producer, consumer), its start (ms after the trace's first span started) and duration, its status
/// (unset, ok, error), and the tags a diff reads: the <c>perf.*</c> tags and what names the kind of call
/// (<c>db.system.name</c>, <c>rpc.system.name</c>, <c>rpc.method</c>, <c>http.route</c>, …).
/// </summary>
public sealed record TraceSpan(
    string SpanId, string? ParentSpanId, string Service, string Name, string Kind, double StartMs, double DurationMs, string Status)
{
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public double EndMs => StartMs + DurationMs;
}
