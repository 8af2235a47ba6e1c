using System.Text;
using System.Text.Json;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Report.Traces;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// The span-by-span diff of a stored pair: the n-plus-one-db traces a run kept (Fixtures/traces), whose naive request
/// waited for one query per order line one after the other, and whose optimized request asked for its lines at once —
/// and the critical path's rules on traces small enough to check by hand.
/// </summary>
public sealed class TraceDiffTests
{
    private static RunTraces StoredPair() => JsonSerializer.Deserialize(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "LoadLab", "Fixtures", "traces", "n-plus-one-db.traces.json")), JsonFiles.Json.RunTraces)!;

    [Theory]
    [InlineData(RepresentativeTrace.P50)]
    [InlineData(RepresentativeTrace.P99)]
    public void TheFixRemovesTheDatabaseSpansFromTheCriticalPath(string percentile)
    {
        var pair = StoredPair();

        var diff = TraceDiff.Of(pair.Of("naive", percentile)!, pair.Of("optimized", percentile)!)!;

        Assert.True(TraceDiff.DatabaseSpansOnPath(diff.NaivePath) >= 200, $"naive: {TraceDiff.DatabaseSpansOnPath(diff.NaivePath)} database spans on the path");
        Assert.InRange(TraceDiff.DatabaseSpansOnPath(diff.OptimizedPath), 1, 3);
        var queries = diff.Calls.First(c => c.Naive.OnPath >= 200);
        Assert.Contains("removed", queries.Change, StringComparison.Ordinal);
        Assert.True(queries.Naive.PathMs > queries.Optimized.PathMs);
        var database = diff.Services.Single(s => s.Service == "postgresql");
        Assert.True(database.NaiveMs > database.OptimizedMs, $"{database}");
    }

    [Fact]
    public void TheTimeOnEachCriticalPathAddsUpToItsRootSpan()
    {
        var pair = StoredPair();

        foreach (var trace in pair.Variants.SelectMany(v => v.Traces))
        {
            var path = CriticalPath.Of(trace.Spans)!;
            Assert.Equal(path.Root.DurationMs, path.Segments.Sum(s => s.OwnMs), 2);
        }
    }

    [Fact]
    public void TheLogSectionShowsThePairAndWhatTheFixChanged()
    {
        var md = new StringBuilder();

        TraceDiffSection.Append(md, TraceDiffSection.NewestPair([StoredPair()], "n-plus-one-db"));

        var text = md.ToString();
        Assert.StartsWith(TraceDiffSection.Heading, text, StringComparison.Ordinal);
        Assert.Contains("### At the p50: what the fix changed on the critical path", text, StringComparison.Ordinal);
        Assert.Contains("### At the p99: time on the critical path by service", text, StringComparison.Ordinal);
        Assert.Contains(" removed |", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLogRegeneratesTheDiffFromTheTracesBesideAResult()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = Directory.CreateTempSubdirectory("trace-log").FullName;
        var results = Path.Combine(root, "results");
        var pair = StoredPair();
        var run = ResultSamples.Make("n-plus-one-db", "loopback", pair.StartedUtc, ("naive", "naive", 180, 203), ("optimized", "naive, n-plus-one-db=optimized", 13, 1));
        var resultPath = await ResultFiles.Runs.In(results).WriteAsync(run, ct);
        await JsonFiles.WriteAsync(RunTraces.PathBeside(resultPath), pair with { Result = Path.GetFileName(resultPath) }, JsonFiles.Json.RunTraces, ct);

        var log = ResultSamples.Log(results, Path.Combine(root, "docs"));

        Assert.Contains(TraceDiffSection.Heading, log, StringComparison.Ordinal);
        Assert.Contains("| `orders: postgresql` | 203 |", log, StringComparison.Ordinal);
    }

    [Fact]
    public void ACallBesideALongerOneAndWorkAfterTheAnswerAreOffTheCriticalPath()
    {
        // root 0..10: a grain call 1..4 beside a query 1..6 (the query ends later), then a query 6..9; a capture 8..14 outlives the root.
        TraceSpan[] spans =
        [
            Span("root", null, "orders", "POST /api/orders", 0, 10),
            Span("grain", "root", "orders", "ICustomerGrain/GetProfile", 1, 3),
            Span("query", "root", "orders", "ordersdb", 1, 5, database: true),
            Span("query2", "root", "orders", "ordersdb", 6, 3, database: true),
            Span("capture", "root", "orders", "Capture", 8, 6),
        ];

        var path = CriticalPath.Of(spans)!;

        Assert.Equal(new Dictionary<string, double> { ["query"] = 5, ["query2"] = 3, ["root"] = 2 }, path.Segments.ToDictionary(s => s.Span.SpanId, s => s.OwnMs));
        Assert.Equal(2, TraceDiff.DatabaseSpansOnPath(path));
    }

    [Fact]
    public void ASpanTheFixLetRunBesideAnotherIsMovedOffTheCriticalPath()
    {
        TraceSpan[] naive = [Span("root", null, "orders", "GET", 0, 10), Span("a", "root", "orders", "grain", 0, 4), Span("b", "root", "orders", "ordersdb", 4, 6, database: true)];
        TraceSpan[] optimized = [Span("root", null, "orders", "GET", 0, 6), Span("a", "root", "orders", "grain", 0, 4), Span("b", "root", "orders", "ordersdb", 0, 6, database: true)];

        var diff = TraceDiff.Of(Trace(naive), Trace(optimized))!;

        Assert.Equal("moved off the critical path", diff.Calls.Single(c => c.Call == "orders: grain").Change);
        Assert.Equal("unchanged", diff.Calls.Single(c => c.Call == "orders: ordersdb").Change);
        Assert.Equal([new ServiceTime("orders", 4, 0), new ServiceTime("postgresql", 6, 6)], diff.Services.OrderBy(s => s.Service, StringComparer.Ordinal));
    }

    private static RepresentativeTrace Trace(TraceSpan[] spans) => new(RepresentativeTrace.P50, spans[0].DurationMs, spans[0].DurationMs, "0af7651916cd43dd8448eb211c80319c", spans);

    private static TraceSpan Span(string id, string? parent, string service, string name, double start, double duration, bool database = false) =>
        new(id, parent, service, name, parent is null ? "server" : "client", start, duration, "unset")
        {
            Tags = database ? new Dictionary<string, string> { ["db.system.name"] = "postgresql" } : new Dictionary<string, string>(),
        };
}
