using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Serve;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>The record the dashboard shows: each scenario's newest naive ÷ optimized ratio, newest first, above the log with its charts.</summary>
public sealed class RecordPageTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EachScenarioShowsItsNewestTwoVariantRunNewestFirst()
    {
        var older = ResultSamples.Make("n-plus-one-db", "seed", Monday, ("naive", "n-plus-one-db=naive", 100, 50), ("optimized", "n-plus-one-db=optimized", 10, 2));
        var newer = ResultSamples.Make("n-plus-one-db", "loopback", Monday.AddHours(2), ("naive", "n-plus-one-db=naive", 100, 50), ("optimized", "n-plus-one-db=optimized", 4, 2));
        var other = ResultSamples.Make("serialization", "seed", Monday.AddHours(1), ("naive", "serialization=naive", 30, null), ("optimized", "serialization=optimized", 10, null));
        var journey = ResultSamples.Make("seed-checkout", "seed", Monday.AddHours(3),
            ("everything naive", "", 300, null), ("one fix", "x", 100, null), ("everything optimized", "y", 10, null));

        var headlines = Headline.Newest([older, other, journey, newer]);

        Assert.Equal(["n-plus-one-db", "serialization"], headlines.Select(h => h.Scenario));
        Assert.Equal("25.0×", headlines[0].P99Ratio); // the newer run: 100 ms ÷ 4 ms, the same skew in both
        Assert.Equal("loopback, 20 rps, 301 requests a variant, 2026-11-02 11:00 UTC, commit abc1234", headlines[0].Conditions);
    }

    [Fact]
    public void ThePageHasTheNewestRunsAboveTheLogRenderedWithItsCharts()
    {
        var log = Path.Combine(Path.GetTempPath(), $"record-{Guid.NewGuid():N}.md");
        File.WriteAllText(log, "# Optimization log\n\n| variant | p99 ms |\n|---|---:|\n| naive & slow | 200 |\n\n![p50 and p99](charts/n-plus-one-db-seed.svg)\n");
        try
        {
            var run = ResultSamples.Make("n-plus-one-db", "seed", Monday, ("naive", "n-plus-one-db=naive", 100, 50), ("optimized", "n-plus-one-db=optimized", 10, 2));
            var html = RecordPage.Render(Headline.Newest([run]), log);

            Assert.True(html.IndexOf("Newest runs", StringComparison.Ordinal) < html.IndexOf("<h1 id=\"optimization-log\">", StringComparison.Ordinal), html);
            Assert.Contains("<td><code>n-plus-one-db</code></td><td>10.0×</td>", html);
            Assert.Contains("<td>naive &amp; slow</td>", html); // a pipe table becomes a table, its text encoded
            Assert.Contains("<img src=\"charts/n-plus-one-db-seed.svg\"", html);
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Fact]
    public async Task ThePageAndItsChartsAreServedWithOrWithoutTheTrailingSlash()
    {
        var ct = TestContext.Current.CancellationToken;
        var docs = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"record-docs-{Guid.NewGuid():N}")).FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(docs, "charts"));
            File.WriteAllText(Path.Combine(docs, "optimizations.md"), "# Optimization log\n");
            File.WriteAllText(Path.Combine(docs, "charts", "a.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            await using var app = builder.Build();
            app.MapRecord(docs, Path.Combine(docs, "no-results"));
            await app.StartAsync(ct);
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

            foreach (var path in new[] { "/record/", "/record", "/record/charts/a.svg" })
            {
                using var response = await http.GetAsync(path, ct);
                Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
            }

            Assert.Contains("<base href=\"/record/\">", await http.GetStringAsync("/record", ct));
        }
        finally
        {
            Directory.Delete(docs, recursive: true);
        }
    }

    [Fact]
    public void BeforeAnyRunThePageSaysHowToMakeOne() =>
        Assert.Contains("No scenario has been run yet", RecordPage.Render([], Path.Combine(Path.GetTempPath(), "no-such-log.md")));
}
