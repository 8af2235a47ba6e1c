using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Serve;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// The record the dashboard shows: an index of each entry's headline by its own proving metric, linked to each entry's
/// page, which renders the generated page with its charts; links between the generated pages follow them into the record.
/// </summary>
public sealed class RecordPageTests : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly string _docs = Directory.CreateTempSubdirectory("perfref-record-").FullName;

    [Fact]
    public void TheIndexHasEachEntrysHeadlineByItsOwnMetricLinkedToItsPage()
    {
        var runs = Enumerable.Range(0, 3).Select(hour =>
            ResultSamples.Make("n-plus-one-db", "seed", Monday.AddHours(hour), ("naive", "n-plus-one-db=naive", 100, 50), ("optimized", "n-plus-one-db=optimized", 10, 2))).ToArray();
        var capacity = GoalsSectionTests.Capacity(259.5, sloMs: 500) is var c
            ? c with { Scenario = "threadpool-starvation", Variants = [c.Variants[0] with { SustainedRate = 51.3 }, c.Variants[1]] }
            : throw new InvalidOperationException();
        var inputs = new LogInputs(runs, [capacity]);

        var html = RecordPage.Index(ProvingMetrics.Quotes(inputs));

        Assert.Contains("<tr><td><a href=\"entries/n-plus-one-db\"><code>n-plus-one-db</code></a></td><td>P99</td><td class=\"figures\">", html);
        Assert.Contains("<td>10.0×</td><td>3 runs, 2026-11-02</td>", html);
        // An entry proven under load is quoted by its capacity, never by a latency ratio.
        Assert.Contains("<a href=\"entries/threadpool-starvation\"><code>threadpool-starvation</code></a></td><td>capacity, P99 &lt; 500 ms</td><td class=\"figures\">51.3 requests/s → 259.5 requests/s</td><td>5.1×</td>", html);
        Assert.Contains("<base href=\"/record/\">", html);
        Assert.Equal("headline: n-plus-one-db".Length, ("headline: " + RecordHeadlines.Of(inputs)[0].Scenario).Length);
        Assert.StartsWith("P99 ", RecordHeadlines.Of(inputs)[0].Figure);
    }

    [Fact]
    public void AnEntrysPageIsItsGeneratedMarkdownWithLinksIntoTheRecordAndChartsFromIt()
    {
        var page = Path.Combine(_docs, "n-plus-one-db.md");
        File.WriteAllText(page, "# 1. N+1\n\n[The optimization log](../optimizations.md) · [drills](../reliability.md#books) · [other](other-entry.md)\n\n" +
                                "| variant | p99 ms |\n|---|---:|\n| naive & slow | 200 |\n\n![p50 and p99](../charts/n-plus-one-db-seed.svg)\n");

        var html = RecordPage.Page("n-plus-one-db", page, "/record/entries/");

        Assert.Contains("<base href=\"/record/entries/\">", html);
        Assert.Contains("<a href=\"../log\">The optimization log</a>", html);
        Assert.Contains("<a href=\"../reliability#books\">drills</a>", html);
        Assert.Contains("<a href=\"other-entry\">other</a>", html);
        Assert.Contains("<td>naive &amp; slow</td>", html); // a pipe table becomes a table, its text encoded
        Assert.Contains("<img src=\"../charts/n-plus-one-db-seed.svg\"", html);
    }

    [Theory]
    [InlineData("entries/a.md", "entries/a")]
    [InlineData("entries/a.md#capacity", "entries/a#capacity")]
    [InlineData("optimizations.md", "log")]
    [InlineData("../optimizations.md#the-goals", "../log#the-goals")]
    [InlineData("reliability.md", "reliability")]
    [InlineData("https://example.org/x.md", "https://example.org/x.md")]
    [InlineData("../log/goals.md", "../log/goals.md")]
    public void ALinkBetweenGeneratedPagesFollowsThemIntoTheRecord(string url, string routed) => Assert.Equal(routed, RecordPage.Route(url));

    [Fact]
    public async Task TheIndexEntryPagesAndChartsAreServedWithOrWithoutTheTrailingSlash()
    {
        var ct = TestContext.Current.CancellationToken;
        Directory.CreateDirectory(Path.Combine(_docs, "charts"));
        Directory.CreateDirectory(Path.Combine(_docs, "entries"));
        File.WriteAllText(Path.Combine(_docs, "optimizations.md"), "# Optimization log\n");
        File.WriteAllText(Path.Combine(_docs, "entries", "n-plus-one-db.md"), "# 1. N+1 database queries\n");
        File.WriteAllText(Path.Combine(_docs, "charts", "a.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapRecord(_docs, Path.Combine(_docs, "no-results"));
        await app.StartAsync(ct);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        foreach (var path in new[] { "/record/", "/record", "/record/charts/a.svg", "/record/entries/n-plus-one-db", "/record/log", "/record/reliability" })
        {
            using var response = await http.GetAsync(path, ct);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        }

        Assert.Contains("<base href=\"/record/\">", await http.GetStringAsync("/record", ct));
        Assert.Contains("N+1 database queries", await http.GetStringAsync("/record/entries/n-plus-one-db", ct));
        foreach (var missing in new[] { "/record/entries/no-such-entry", "/record/entries/..%2Foptimizations" })
        {
            using var response = await http.GetAsync(missing, ct);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public void BeforeAnyRunTheIndexSaysHowToMakeOne() =>
        Assert.Contains("No scenario has been run yet", RecordPage.Index([]));

    public void Dispose() => Directory.Delete(_docs, recursive: true);
}
