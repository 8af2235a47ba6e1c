using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Scenarios;
using PerfReference.LoadLab.Traces;
using PerfReference.Performance;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// A run keeps, for each variant, the trace of the request nearest its p50 and the one nearest its P99, read from the
/// dashboard's telemetry API with its key (a dashboard on loopback answering as Aspire's does: OTLP JSON, 404 for a trace
/// it no longer holds), beside the result file — and keeps of each span only what a diff needs: no connection string, no
/// query text, no URL, and never the key.
/// </summary>
public sealed class TraceKeeperTests
{
    private const string ApiKey = "dashboard-api-key-of-this-test";
    private const string Password = "password-of-this-test";

    [Fact]
    public async Task EachVariantKeepsTheTracesNearestItsP50AndP99WithoutAnythingSecret()
    {
        var ct = TestContext.Current.CancellationToken;
        var started = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
        var result = ResultSamples.Make("n-plus-one-db", "seed", started, ("naive", "naive", 100, null), ("optimized", "optimized", 10, null));
        var naive = Traced(Variant.Naive, result.Variants[0], firstId: 1);
        var optimized = Traced(Variant.Optimized, result.Variants[1], firstId: 1_000);
        var gone = naive.Traced.Nearest((long)(result.Variants[0].P50Ms * 1000), 1)[0].TraceIdHex; // dropped by the dashboard since
        var asked = new List<string>();
        await using var dashboard = await LoopbackServer.StartAsync(app => app.MapGet("/api/telemetry/traces/{id}", (HttpRequest request, string id) =>
        {
            asked.Add(id);
            return request.Headers["x-api-key"] != ApiKey ? Results.Unauthorized()
                : id == gone ? Results.NotFound()
                : Results.Text(OtlpAnswer(id), "application/json");
        }));
        var directory = Directory.CreateTempSubdirectory("traces").FullName;
        var resultPath = Path.Combine(directory, "2026-12-06T12-00-00Z-seed.json");

        var kept = await new TraceKeeper(new DashboardAccess(LoopbackServer.BaseUrl(dashboard), ApiKey)) { Settle = TimeSpan.Zero }
            .KeepAsync(result, [naive, optimized], resultPath, ct);

        Assert.Equal(RunTraces.PathBeside(resultPath), kept.Path);
        var text = await File.ReadAllTextAsync(kept.Path!, ct);
        var traces = JsonSerializer.Deserialize(text, JsonFiles.Json.RunTraces)!;
        Assert.Equal(["naive", "optimized"], traces.Variants.Select(v => v.Label));
        Assert.All(traces.Variants, v => Assert.Equal([RepresentativeTrace.P50, RepresentativeTrace.P99], v.Traces.Select(t => t.Percentile)));
        Assert.Contains(gone, asked);
        Assert.NotEqual(gone, traces.Of("naive", RepresentativeTrace.P50)!.TraceId); // the next nearest, still held
        var p99 = traces.Of("optimized", RepresentativeTrace.P99)!;
        Assert.Equal(optimized.Traced.Nearest((long)(result.Variants[1].P99Ms * 1000), 1)[0].TraceIdHex, p99.TraceId);
        var query = Assert.Single(p99.Spans, s => s.Kind == "client");
        Assert.Equal(("orders", "ordersdb", "postgresql", p99.Spans[0].SpanId), (query.Service, query.Name, query.Tags["db.system.name"], query.ParentSpanId));
        Assert.Equal("optimized", p99.Spans[0].Tags["perf.variant"]);
        Assert.Equal((0, 4.0, 0.5, 2.5), (p99.Spans[0].StartMs, p99.Spans[0].DurationMs, query.StartMs, query.DurationMs));
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("SELECT", text, StringComparison.Ordinal);
        Assert.DoesNotContain("card=", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APhasedRunKeepsEachVariantsTracesRightAfterItsPhaseBeforeTheNextPhasePushesThemOut()
    {
        var ct = TestContext.Current.CancellationToken;
        var result = ResultSamples.Make("memory-leak", "seed", DateTimeOffset.UnixEpoch, ("naive", "naive", 100, null), ("optimized", "optimized", 10, null));
        var naive = Traced(Variant.Naive, result.Variants[0], firstId: 1);
        var optimized = Traced(Variant.Optimized, result.Variants[1], firstId: 1_000);
        var naiveIds = naive.Traced.Nearest(0, 1_000).Select(r => r.TraceIdHex).ToHashSet();
        var naiveGone = false;
        var asked = new List<string>();
        await using var dashboard = await LoopbackServer.StartAsync(app => app.MapGet("/api/telemetry/traces/{id}", (string id) =>
        {
            asked.Add(id);
            return naiveGone && naiveIds.Contains(id) ? Results.NotFound() : Results.Text(OtlpAnswer(id), "application/json");
        }));
        var keeper = new TraceKeeper(new DashboardAccess(LoopbackServer.BaseUrl(dashboard), ApiKey)) { Settle = TimeSpan.Zero };
        var resultPath = Path.Combine(Directory.CreateTempSubdirectory("traces").FullName, "1970-01-01T00-00-00Z-seed.json");

        var keptAfterItsPhase = await keeper.KeepPhaseAsync(naive, TimeSpan.FromMinutes(10), ct);
        naiveGone = true; // the optimized phase's requests have pushed every naive trace out of the dashboard
        asked.Clear();
        var kept = await keeper.KeepAsync(result, [naive, optimized], resultPath, ct, [keptAfterItsPhase!]);

        var traces = JsonSerializer.Deserialize(await File.ReadAllTextAsync(kept.Path!, ct), JsonFiles.Json.RunTraces)!;
        Assert.Equal(keptAfterItsPhase!.Traces.Select(t => t.TraceId), traces.Variants[0].Traces.Select(t => t.TraceId));
        Assert.Equal([RepresentativeTrace.P50, RepresentativeTrace.P99], traces.Variants[0].Traces.Select(t => t.Percentile));
        Assert.Equal(2, traces.Variants[1].Traces.Count);
        Assert.DoesNotContain(asked, naiveIds.Contains); // the naive traces were not asked for again
    }

    [Fact]
    public async Task WhenTheRequestsNearestAPercentileAreGoneTheNearestAmongTheNewestIsKept()
    {
        // 3,000 requests of 1..3,000 ms, answered in that order; the dashboard holds only the newest 1,000 (2,001..3,000 ms).
        var ct = TestContext.Current.CancellationToken;
        var recorder = new VariantRecorder(Variant.Naive);
        for (var i = 1; i <= 3_000; i++)
        {
            recorder.RecordSuccess(i * 1_000L, new ResponseCounters([.. PerfCounter.Recorded.Select(_ => (long?)null)]) { TraceId = (UInt128)i }, 100);
        }

        var held = recorder.Traced.Nearest(0, 3_000).Where(r => r.LatencyMicroseconds > 2_000_000).Select(r => r.TraceIdHex).ToHashSet();
        await using var dashboard = await LoopbackServer.StartAsync(app => app.MapGet("/api/telemetry/traces/{id}", (string id) =>
            held.Contains(id) ? Results.Text(OtlpAnswer(id), "application/json") : Results.NotFound()));

        var kept = await new TraceKeeper(new DashboardAccess(LoopbackServer.BaseUrl(dashboard), ApiKey)) { Settle = TimeSpan.Zero }
            .KeepPhaseAsync(recorder, TimeSpan.FromMinutes(10), ct);

        var p50 = Assert.Single(kept!.Traces, t => t.Percentile == RepresentativeTrace.P50);
        Assert.Equal(((UInt128)2_001).ToString("x32", CultureInfo.InvariantCulture), p50.TraceId); // the newest 1,000's nearest to 1,500 ms
        Assert.Equal(2_001, p50.LatencyMs);
    }

    [Fact]
    public async Task AVariantTheDashboardNoLongerHoldsAfterItsPhaseIsLeftForTheRunsEnd()
    {
        var ct = TestContext.Current.CancellationToken;
        var result = ResultSamples.Make("memory-leak", "seed", DateTimeOffset.UnixEpoch, ("naive", "naive", 100, null));
        await using var dashboard = await LoopbackServer.StartAsync(app => app.MapGet("/api/telemetry/traces/{id}", () => Results.NotFound()));

        var kept = await new TraceKeeper(new DashboardAccess(LoopbackServer.BaseUrl(dashboard), ApiKey)) { Settle = TimeSpan.Zero }
            .KeepPhaseAsync(Traced(Variant.Naive, result.Variants[0], firstId: 1), TimeSpan.FromMinutes(10), ct);

        Assert.Null(kept);
    }

    [Fact]
    public async Task WithoutADashboardARunKeepsNoTracesAndSaysWhy()
    {
        var result = ResultSamples.Make("n-plus-one-db", "seed", DateTimeOffset.UnixEpoch, ("naive", "naive", 100, null));

        var kept = await new TraceKeeper(null).KeepAsync(result, [new VariantRecorder(Variant.Naive)], "/nowhere/result.json", TestContext.Current.CancellationToken);

        Assert.Null(kept.Path);
        Assert.Contains("no Aspire dashboard", kept.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void WhileTheSystemRunsTheRecordLinksEachKeptTraceTheDashboardHoldsToIt()
    {
        const string Held = "0af7651916cd43dd8448eb211c80319c";
        const string Dropped = "1bf7651916cd43dd8448eb211c80319d";
        const string Html = $"<td><code>{Held}</code></td><td><code>{Dropped}</code></td><td><code>n-plus-one-db</code></td>";

        Assert.Equal([Held, Dropped], TraceLinks.Ids(Html));
        var linked = TraceLinks.Link(Html, new DashboardAccess(new Uri("http://localhost:15080/"), ApiKey), new HashSet<string> { Held });

        Assert.Equal($"<td><a href=\"http://localhost:15080/traces/detail/{Held}\"><code>{Held}</code></a></td>" +
                     $"<td><code>{Dropped}</code></td><td><code>n-plus-one-db</code></td>", linked);
        Assert.DoesNotContain(ApiKey, linked, StringComparison.Ordinal);
        Assert.Equal(Html, TraceLinks.Link(Html, null, new HashSet<string> { Held }));
    }

    [Fact]
    public void ATraceMissingSpansIsNotWhole()
    {
        TraceSpan Span(string id, string? parent) => new(id, parent, "orders", id, "client", 0, 1, "unset");

        Assert.True(TraceKeeper.IsWhole([Span("server", "the-labs-own-span"), Span("query", "server")]));
        Assert.False(TraceKeeper.IsWhole([Span("query-1", "server"), Span("query-2", "server")])); // the request's own span dropped by its exporter
    }

    [Theory]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", true)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00", false)] // not recorded: the dashboard has no such trace
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01", false)]
    [InlineData("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", false)]
    [InlineData("garbage", false)]
    public void OnlyARecordedTraceContextGivesATraceId(string header, bool recorded) =>
        Assert.Equal(recorded ? "0af7651916cd43dd8448eb211c80319c" : null, TraceResponse.RecordedTraceId(header) is { } id ? new TracedRequest(0, id).TraceIdHex : null);

    /// <summary>A variant's recorder whose 300 requests took 1..300 × a hundredth of its p50 and whose traces were recorded.</summary>
    private static VariantRecorder Traced(Variant variant, VariantResult figures, int firstId)
    {
        var recorder = new VariantRecorder(variant);
        for (var i = 1; i <= 300; i++)
        {
            recorder.RecordSuccess((long)(i * figures.P50Ms * 10), new ResponseCounters([.. PerfCounter.Recorded.Select(_ => (long?)null)]) { TraceId = (UInt128)(firstId + i) }, 100);
        }

        return recorder;
    }

    /// <summary>A trace as the dashboard answers it: the service's span and one query under it, with what Npgsql and ASP.NET Core tag them.</summary>
    private static string OtlpAnswer(string traceId)
    {
        const long start = 1_765_000_000_000_000_000;
        return string.Create(CultureInfo.InvariantCulture, $$$"""
            {"data":{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"orders"}}]},
             "scopeSpans":[{"scope":{"name":"Npgsql"},"spans":[
              {"traceId":"{{{traceId}}}","spanId":"00f067aa0ba902b7","name":"GET /api/orders/{id}","kind":2,"startTimeUnixNano":"{{{start}}}","endTimeUnixNano":"{{{start + 4_000_000}}}",
               "attributes":[{"key":"perf.variant","value":{"stringValue":"optimized"}},{"key":"http.route","value":{"stringValue":"/api/orders/{id}"}},
                             {"key":"url.query","value":{"stringValue":"card=4111111111111111"}}],"status":{"code":0}},
              {"traceId":"{{{traceId}}}","spanId":"b7ad6b7169203331","parentSpanId":"00f067aa0ba902b7","name":"ordersdb","kind":3,"startTimeUnixNano":"{{{start + 500_000}}}","endTimeUnixNano":"{{{start + 3_000_000}}}",
               "attributes":[{"key":"db.system.name","value":{"stringValue":"postgresql"}},{"key":"db.query.text","value":{"stringValue":"SELECT * FROM orders"}},
                             {"key":"db.npgsql.data_source","value":{"stringValue":"Host=127.0.0.1;Password={{{Password}}}"}}]}]}]}]},
             "totalCount":2,"returnedCount":2}
            """);
    }
}
