using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using PerfReference.Performance;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// Each entry is quoted by its own proving metric: latency entries by their P99 over the newest runs, entries proven
/// under load by capacity, throughput at N in flight or heap slope — never by a low-rate latency ratio — bulk-insert by
/// rows per second, sequential-awaits by its service time against its waits; no ratio over a figure below what its
/// counter resolves; the findings name the seed's assignment and the largest improvements.
/// </summary>
public sealed class ProvingMetricTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EveryBuiltEntryDeclaresItsProvingMetric() =>
        Assert.All(PerfCatalog.Built, entry => Assert.True(ProvingMetrics.ByEntry.ContainsKey(entry.Id), $"{entry.Id}: one line in ProvingMetrics.ByEntry"));

    [Fact]
    public void AnEntryProvenUnderLoadIsQuotedByThatLoadsFigureNeverByALowRateLatencyRatio()
    {
        var lowRate = new[] { "threadpool-starvation", "lock-contention", "memory-leak" }
            .SelectMany(id => Enumerable.Range(0, 3).Select(hour => RunHistoryTests.Run(id, hour, naiveMs: 100))).ToArray();

        // Only low-rate runs: no headline at all, rather than one by the wrong metric.
        Assert.DoesNotContain(ProvingMetrics.Quotes(new LogInputs(lowRate)), q => q.Scenario is "threadpool-starvation" or "lock-contention" or "memory-leak");

        var capacity = GoalsSectionTests.Capacity(259.5, sloMs: 500) is var c
            ? c with { Scenario = "threadpool-starvation", Variants = [c.Variants[0] with { SustainedRate = 51.3 }, c.Variants[1]] }
            : throw new InvalidOperationException();
        var sweep = SweepTests.Sweep([1, 200], "seed", [new("naive", 200, 0, 20, 440, 0, 21.9, 3_500, 33_000, 40_000, 1_925), new("optimized", 200, 20, 40, 14_000, 0, 715.9, 268, 498, 600, 177)]);
        var soak = RunHistoryTests.Run("memory-leak", 5, naiveMs: 80) with
        {
            Phases = [new("naive", 0, 600) { LiveHeapMBBefore = 43.1, LiveHeapMBAfter = 375 }, new("optimized", 654, 1254) { LiveHeapMBBefore = 373.7, LiveHeapMBAfter = 390 }],
        };
        var quotes = ProvingMetrics.Quotes(new LogInputs([.. lowRate, soak], [capacity], [sweep]));

        var starvation = quotes.Single(q => q.Scenario == "threadpool-starvation");
        Assert.Equal(("capacity, P99 < 500 ms", "51.3 requests/s", "259.5 requests/s", "5.1×"), (starvation.Metric, starvation.Naive, starvation.Optimized, starvation.Ratio));
        var contention = quotes.Single(q => q.Scenario == "lock-contention");
        Assert.Equal(("throughput at 200 requests in flight", "21.9 requests/s", "716 requests/s", "32.7×"), (contention.Metric, contention.Naive, contention.Optimized, contention.Ratio));
        var leak = quotes.Single(q => q.Scenario == "memory-leak");
        Assert.Equal(("live heap growth", "33.2 MB/min", "1.6 MB/min", "20.8×"), (leak.Metric, leak.Naive, leak.Optimized, leak.Ratio));
    }

    [Fact]
    public void NoRatioIsTakenOverAFigureBelowWhatItsCounterResolves()
    {
        var soak = RunHistoryTests.Run("memory-leak", 0, naiveMs: 80) with
        {
            Phases = [new("naive", 0, 600) { LiveHeapMBBefore = 40, LiveHeapMBAfter = 372 }, new("optimized", 600, 1200) { LiveHeapMBBefore = 372, LiveHeapMBAfter = 372 }],
        };

        var leak = ProvingMetric.HeapSlope().Quote(new LogInputs([soak]), "memory-leak")!;

        Assert.Equal(("0.0 MB/min", "–", null), (leak.Optimized, leak.Ratio, leak.Improvement));
        Assert.Equal("–", Figures.Ratio(44.3, 0.001, Figures.ServerTimingResolutionMs));
        Assert.Equal("443×", Figures.Ratio(44.3, 0.1, Figures.ServerTimingResolutionMs));

        // The optimized cache-warming reads no PostgreSQL: its query P99 is the histogram's floor, and no ratio is taken over it.
        var runs = Enumerable.Range(0, 2).Select(hour => RunHistoryTests.Run("cache-warming", hour, naiveMs: 100) is var r
            ? r with { Variants = [r.Variants[0] with { DbP99Ms = 44.319 }, r.Variants[1] with { DbP99Ms = 0.001 }] }
            : throw new InvalidOperationException()).ToArray();
        var page = new LogGenerator(Path.Combine(AppContext.BaseDirectory, "LoadLab", "Fixtures", "golden", "log")).Generate(runs).Pages["cache-warming.md"];
        Assert.Contains("query p99 – (optimized's is below the 0.10 ms `Server-Timing` resolves", page);
        Assert.DoesNotContain("44319×", page);
    }

    [Fact]
    public void BulkInsertIsQuotedInRowsPerSecondAndSequentialAwaitsByItsServiceTimeAgainstItsWaits()
    {
        var import = RunHistoryTests.Run("bulk-insert", 0, naiveMs: 300, profile: "loopback") with { Work = new WorkPerRequest(500, "rows") };
        import = import with { Variants = [import.Variants[0] with { MeanMs = 300 }, import.Variants[1] with { MeanMs = 20 }] };
        var checkout = RunHistoryTests.Run("sequential-awaits", 0, naiveMs: 60);
        checkout = checkout with
        {
            Variants =
            [
                checkout.Variants[0] with { MeanServerMs = 55, MeanDbMs = 43, MeanGrainMs = 11 },
                checkout.Variants[1] with { MeanServerMs = 44, MeanDbMs = 43, MeanGrainMs = 13 },
            ],
        };
        var quotes = ProvingMetrics.Quotes(new LogInputs([import, checkout]));

        var rows = quotes.Single(q => q.Scenario == "bulk-insert");
        Assert.Equal(("rows per second", "1,667 rows/s", "25,000 rows/s", "15.0×"), (rows.Metric, rows.Naive, rows.Optimized, rows.Ratio));
        var awaits = quotes.Single(q => q.Scenario == "sequential-awaits");
        Assert.Equal("55.0 ms in the service, 54.0 ms of waits", awaits.Naive);
        Assert.Equal("44.0 ms in the service, 56.0 ms of waits", awaits.Optimized); // shorter than its waits: the grain call left the path
    }

    [Fact]
    public void CompressionIsQuotedOverTheMobileClientLinkAndCacheWarmingWithItsHitRatio()
    {
        var quotes = ProvingMetrics.Quotes(new LogInputs(
        [
            RunHistoryTests.Run("compression", 0, naiveMs: 70) with { ClientProfile = "mobile" },
            RunHistoryTests.Run("compression", 1, naiveMs: 11), // the datacenter's own client, newer: not the proof
            ResultSamples.Make("cache-warming", "seed", Monday, ("naive", "", 100, 0.2), ("optimized", "", 20, 0)),
        ]));

        Assert.Equal("7.0×", quotes.Single(q => q.Scenario == "compression").Ratio);
        Assert.Contains("client link `mobile`", quotes.Single(q => q.Scenario == "compression").Conditions);
        Assert.EndsWith(", hit ratio 100 %", quotes.Single(q => q.Scenario == "cache-warming").Optimized);
    }

    [Fact]
    public void TheFindingsSayWhetherTheSeedsAssignmentIsMetAndNameTheLargestImprovementsByTheirOwnMetric()
    {
        var inputs = new LogInputs(
        [
            .. Enumerable.Range(0, 3).Select(hour => ResultSamples.Make("seed-checkout", "seed", Monday.AddHours(hour), ("naive", "naive", 900, 203), ("optimized", "optimized", 40, 3))),
            RunHistoryTests.Run("n-plus-one-db", 0, naiveMs: 220),
            RunHistoryTests.Run("serialization", 0, naiveMs: 15),
            RunHistoryTests.Run("missing-index", 0, naiveMs: 170, profile: "loopback"),
            RunHistoryTests.Run("unbounded-results", 0, naiveMs: 60, profile: "loopback"),
        ]);

        var findings = Findings.Markdown(inputs, ProvingMetrics.Quotes(inputs), id => $"docs/entries/{id}.md");

        Assert.StartsWith("**The seed's assignment — an order API whose checkout had a P99 of seconds, brought under 500 ms — is met.**", findings);
        Assert.Contains("every link `seed`, 5 ms a round trip; the payment provider 300 ms a call", findings);
        Assert.Contains("**The 3 largest improvements**", findings);
        var ranked = findings.Split('\n').Where(line => line.Length > 2 && char.IsDigit(line[0])).ToArray();
        Assert.Equal(3, ranked.Length);
        Assert.Contains("[`n-plus-one-db`]", ranked[0]);   // 22.0×
        Assert.Contains("[`missing-index`]", ranked[1]);   // 17.0×
        Assert.Contains("[`unbounded-results`]", ranked[2]); // 6.0×; serialization's 1.5× is left out

        var slow = ResultSamples.Make("seed-checkout", "seed", Monday.AddHours(4), ("naive", "naive", 900, 203), ("optimized", "optimized", 200, 3));
        Assert.StartsWith("**The seed's assignment — an order API whose checkout had a P99 of seconds, brought under 500 ms — is not met yet.**",
            Findings.Markdown(new LogInputs([slow]), ProvingMetrics.Quotes(new LogInputs([slow])), id => id));
    }
}
