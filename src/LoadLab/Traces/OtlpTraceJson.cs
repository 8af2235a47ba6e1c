using System.Globalization;
using System.Text.Json.Serialization;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Traces;

/// <summary>
/// What the dashboard's telemetry API answers for a trace (<c>GET /api/telemetry/traces/{id}</c>): its spans in OTLP
/// JSON, grouped by resource (<c>service.name</c>) and instrumentation scope. Only the fields a kept span needs are read.
/// </summary>
public sealed record TelemetryApiAnswer(OtlpData? Data);

public sealed record OtlpData(IReadOnlyList<OtlpResourceSpans>? ResourceSpans);

public sealed record OtlpResourceSpans(OtlpResource? Resource, IReadOnlyList<OtlpScopeSpans>? ScopeSpans);

public sealed record OtlpResource(IReadOnlyList<OtlpAttribute>? Attributes);

public sealed record OtlpScopeSpans(IReadOnlyList<OtlpSpan>? Spans);

public sealed record OtlpSpan(
    string? TraceId, string? SpanId, string? ParentSpanId, string? Name, int? Kind,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] ulong? StartTimeUnixNano,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] ulong? EndTimeUnixNano,
    IReadOnlyList<OtlpAttribute>? Attributes, OtlpStatus? Status);

public sealed record OtlpAttribute(string? Key, OtlpValue? Value);

/// <summary>An attribute's value; the dashboard answers every one as a string, other OTLP writers in its own field.</summary>
public sealed record OtlpValue(
    string? StringValue, bool? BoolValue,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] long? IntValue,
    double? DoubleValue)
{
    public string? Text => StringValue ?? BoolValue?.ToString().ToLowerInvariant() ?? IntValue?.ToString(CultureInfo.InvariantCulture)
        ?? DoubleValue?.ToString(CultureInfo.InvariantCulture);
}

public sealed record OtlpStatus(int? Code);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TelemetryApiAnswer))]
public sealed partial class OtlpJsonContext : JsonSerializerContext;

/// <summary>
/// A trace as the lab keeps it (<see cref="TraceSpan"/>): each span's service, name, kind, start, duration, parent and
/// status, and of its attributes only those a diff reads — the <c>perf.*</c> tags and the few that name the kind of call.
/// Everything else is left behind on purpose: Npgsql's <c>db.npgsql.data_source</c> is a connection string, a query's
/// text or a URL's query may hold what a user typed, and none of it is needed to compare two traces.
/// </summary>
public static class KeptSpans
{
    /// <summary>The attributes kept besides <c>perf.*</c>: what kind of call a span is, and its route or method.</summary>
    public static IReadOnlySet<string> NamingTags { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "db.system", "db.system.name", "db.operation.name", "rpc.system", "rpc.system.name", "rpc.method",
        "http.request.method", "http.route", "http.response.status_code", "rpc.grpc.status_code", "grpc.status_code",
    };

    public const string PerfPrefix = "perf.";

    public static bool Keeps(string key) => key.StartsWith(PerfPrefix, StringComparison.Ordinal) || NamingTags.Contains(key);

    /// <summary>The spans of an answer, ordered by start (then id), their starts counted from the trace's first.</summary>
    public static IReadOnlyList<TraceSpan> From(TelemetryApiAnswer answer)
    {
        var spans = (answer.Data?.ResourceSpans ?? [])
            .SelectMany(resource => (resource.ScopeSpans ?? []).SelectMany(scope => scope.Spans ?? [])
                .Select(span => (Service: ServiceOf(resource.Resource), Span: span)))
            .Where(s => s.Span is { SpanId: not null, StartTimeUnixNano: not null, EndTimeUnixNano: not null })
            .ToArray();
        if (spans.Length == 0)
        {
            return [];
        }

        var origin = spans.Min(s => s.Span.StartTimeUnixNano!.Value);
        return [.. spans
            .Select(s => Kept(s.Service, s.Span, origin))
            .OrderBy(span => span.StartMs).ThenBy(span => span.SpanId, StringComparer.Ordinal)];
    }

    private static TraceSpan Kept(string service, OtlpSpan span, ulong origin)
    {
        var start = span.StartTimeUnixNano!.Value;
        var end = Math.Max(start, span.EndTimeUnixNano!.Value);
        return new TraceSpan(span.SpanId!, string.IsNullOrEmpty(span.ParentSpanId) ? null : span.ParentSpanId, service, span.Name ?? "",
            KindName(span.Kind), Milliseconds(start - origin), Milliseconds(end - start), StatusName(span.Status?.Code))
        {
            Tags = (span.Attributes ?? [])
                .Where(a => a.Key is { } key && Keeps(key) && a.Value?.Text is not null)
                .GroupBy(a => a.Key!, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Value!.Text!, StringComparer.Ordinal),
        };
    }

    private static string ServiceOf(OtlpResource? resource) =>
        resource?.Attributes?.FirstOrDefault(a => a.Key == "service.name")?.Value?.Text ?? "unknown";

    /// <summary>OTLP's span kinds (1 internal … 5 consumer) by name.</summary>
    public static string KindName(int? kind) => kind switch
    {
        2 => "server",
        3 => "client",
        4 => "producer",
        5 => "consumer",
        _ => "internal",
    };

    private static string StatusName(int? code) => code switch
    {
        1 => "ok",
        2 => "error",
        _ => "unset",
    };

    /// <summary>Nanoseconds as milliseconds to the microsecond, as the result files keep times.</summary>
    private static double Milliseconds(ulong nanoseconds) => Math.Round(nanoseconds / 1_000.0) / 1_000.0;
}
