using PerfReference.LoadLab;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// The log is a function of the result files and the entry texts: an index, a page per entry, charts — the same bytes
/// for the same inputs; on each page the newest runs of each setup with their spread, the journey's staircase, where the
/// time went (a sum of calls made at once shown as none), a client link of its own kept apart.
/// </summary>
public sealed class LogGeneratorTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "LoadLab", "Fixtures");
    private readonly string _directory = Directory.CreateTempSubdirectory("perfref-log-").FullName;

    [Fact]
    public void TheSameInputsGiveTheSameBytes()
    {
        var first = Generate("first");
        var second = Generate("second");

        Assert.Equal(ResultSamples.Read(first), ResultSamples.Read(second));
        var firstCharts = Directory.GetFiles(Path.Combine(Path.GetDirectoryName(first)!, "charts")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            ["connection-pooling-loopback-through-pgbouncer.svg", "connection-pooling-loopback.svg", "n-plus-one-db-loopback.svg", "n-plus-one-db-seed.svg", "seed-checkout-seed-journey.svg"],
            firstCharts.Select(Path.GetFileName));
        foreach (var chart in firstCharts)
        {
            Assert.Equal(File.ReadAllBytes(chart), File.ReadAllBytes(chart.Replace("first", "second")));
        }

        // A page for each entry with a text, for the seed checkout once it is measured, the ceiling's, the network links' and the overload runs'.
        Assert.Equal(["ceiling.md", "connection-pooling.md", "n-plus-one-db.md", "network-links.md", "overload.md", "seed-checkout.md"],
            Directory.GetFiles(Path.Combine(Path.GetDirectoryName(first)!, "entries")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheNewestRunByItsRecordedStartIsShownNotTheNewestFileName()
    {
        var page = Page("log", "n-plus-one-db");

        // 20250309T000000Z-seed.json records an older start (2025-03-01, naive p50 ~1350 ms): the newest run is the other one.
        Assert.Contains("| naive | 1497 | 2806 | 2961 | 3000 | 3000 | 10 | 1 of 301 | 201 | 1.0 | 0.0 | 48,214 | 1.0× | 1.0× |", page);
        Assert.Contains("| optimized | 18.0 | 33.7 | 35.6 | 36.0 | 36.0 | 10 | 1 of 301 | 2.0 | 1.0 | 0.0 | 48,214 | 83.3× | 83.3× |", page);
        Assert.Contains("2025-03-02 12:00 UTC", page);
    }

    [Fact]
    public void EveryCurrentRunOfASetupGivesTheSpreadOfTheRatio()
    {
        // Two seed runs of n-plus-one-db (ratios 18.0× and 83.3×): lowest, median, highest.
        Assert.Contains("Across the 2 current runs (naive ÷ optimized, lowest / median / highest): p99 18.0× / 50.6× / 83.3×", Page("log", "n-plus-one-db"));
    }

    [Fact]
    public void TheSpreadCountsOnlyTheRunsAtTheRateTheSectionShowsAndTheOthersAreEarlierRuns()
    {
        static RunResult At(double rate, int hour, double naiveMs) =>
            ResultSamples.Make("n-plus-one-db", "seed", new DateTimeOffset(2026, 11, 30, hour, 0, 0, TimeSpan.Zero), ("naive", "", naiveMs, null), ("optimized", "", 10, null)) with { Rate = rate };

        var page = new LogGenerator(Path.Combine(Fixtures, "log"))
            .Generate([At(20, 0, naiveMs: 30), At(20, 1, naiveMs: 30), At(4, 2, naiveMs: 200), At(4, 3, naiveMs: 100)]).Pages["n-plus-one-db.md"];

        Assert.Contains("### Measured: profile `seed`, 4 requests/s", page);
        Assert.Contains("Across the 2 current runs (naive ÷ optimized, lowest / median / highest): p99 10.0× / 15.0× / 20.0×", page);
        var earlier = page[page.IndexOf("## Earlier runs", StringComparison.Ordinal)..];
        Assert.Equal(2, earlier.Split('\n').Count(line => line.StartsWith("| 2026-11-30 0", StringComparison.Ordinal) && line.Contains("replaced by the runs at 4 requests/s of 2026-11-30", StringComparison.Ordinal)));
    }

    [Fact]
    public void ADatabaseEntryShowsItsOwnFiguresAndARunUnderAnotherSetupIsKeptApart()
    {
        var page = Page("log", "connection-pooling");

        Assert.Contains("| variant | connection opens | time to open ms | query p99 ms, opening included | allocated per request | working set MiB, start → peak | gen2 GCs | service CPU ms/request | PostgreSQL CPU ms/request | server sessions/request |", page);
        Assert.Contains("| naive | 1.0 | 21.5 | 0.90 | 61,234 | 120.5 → 131.2 | 0 | 3.2 | 8.4 | 1.0 |", page);
        Assert.Contains("### Measured: profile `loopback`, 20 requests/s, through PgBouncer", page);
        Assert.Contains("| naive | 1.0 | 21.5 | 0.90 | 61,234 | 120.5 → 131.2 | 0 | 3.2 | 8.4 | 0.0 |", page);
        Assert.Contains("(load average 0.4 when it started, 1.7 when it ended)", page);
        Assert.Contains("variants in turn, each on its own after a full collection, 5 s at rest and its own warm-up", page);
    }

    [Fact]
    public void TheJourneyIsAStaircaseOfP99AgainstTheFirstStep()
    {
        var page = Page("log", "seed-checkout");

        Assert.Contains("| step | X-Perf-Variant | requests | p50 ms | p99 ms | first step ÷ this (p99) |", page);
        Assert.Matches(@"\| \+n-plus-one-db \| `naive, n-plus-one-db=optimized` \| 301 \| [\d.]+ \| 2073 \| 2\.4× \|", page);
        Assert.Matches(@"\| optimized \| `optimized` \| 301 \| [\d.]+ \| 148 \| 34\.0× \|", page);
    }

    [Fact]
    public async Task WhereTheTimeGoesSplitsEachVariantsLatencyAndShowsNoSumOfCallsMadeAtOnceAsADuration()
    {
        var results = Path.Combine(_directory, "results-with-timings");
        var run = TwoVariantsOfNPlusOneDb();
        run = run with
        {
            Variants =
            [
                run.Variants[0] with { MeanMs = 1500, MeanServerMs = 1200, MeanDbMs = 1060, MeanGrainMs = 1, MeanPaymentMs = 0 },
                // Overlapping grain calls add up to more than the service's time: not a duration, and the service's own rest is then unknown.
                run.Variants[1] with { MeanMs = 20, MeanServerMs = 12, MeanDbMs = 5.5, MeanGrainMs = 20, MeanPaymentMs = 0 },
            ],
        };
        await ResultFiles.Runs.In(results).WriteAsync(run, TestContext.Current.CancellationToken);

        var log = ResultSamples.Log(results, Path.Combine(_directory, "timings"));
        Assert.Contains("| variant | latency | in the service | PostgreSQL | grains | payment provider | rest of the service | outside the service |", log);
        Assert.Contains("| naive | 1500 | 1200 | 1060 | 1.0 | 0.0 | 139 | 300 |", log);
        Assert.Contains("| optimized | 20.0 | 12.0 | 5.5 | at once | 0.0 | – | 8.0 |", log);
    }

    [Fact]
    public async Task WhereTheTimeGoesShowsTheSlowestRequestsOfEachVariantThatRecordedThemBelowTheMeans()
    {
        var results = Path.Combine(_directory, "results-with-a-tail");
        var run = TwoVariantsOfNPlusOneDb();
        var tail = new TailTimeSplit(6, FromMs: 52.5, LatencyMs: 61, ServerMs: 45, DbMs: 38, GrainMs: 12, PaymentMs: null);
        run = run with
        {
            Variants =
            [
                run.Variants[0] with { MeanMs = 1500, MeanServerMs = 1200, MeanDbMs = 1060, MeanGrainMs = 1, MeanPaymentMs = 0 },
                run.Variants[1] with
                {
                    MeanMs = 20, MeanServerMs = 12, MeanDbMs = 5.5, MeanGrainMs = 4, MeanPaymentMs = 0, Slowest = tail,
                },
            ],
        };
        await ResultFiles.Runs.In(results).WriteAsync(run, TestContext.Current.CancellationToken);

        var log = ResultSamples.Log(results, Path.Combine(_directory, "tail"));
        var optimizedMeans = log.IndexOf("| optimized | 20.0 | 12.0 | 5.5 | 4.0 | 0.0 | 2.5 | 8.0 |", StringComparison.Ordinal);
        var optimizedTail = log.IndexOf("| optimized, slowest 1 % (6, from 52.5 ms) | 61.0 | 45.0 | 38.0 | 12.0 | – | – | 16.0 |", StringComparison.Ordinal);
        Assert.InRange(optimizedMeans, 0, optimizedTail - 1);
        Assert.DoesNotContain("| naive, slowest 1 %", log);
        Assert.Contains("the rows \"slowest 1 %\" are the same means over a variant's requests at or above its P99 alone", log);
    }

    [Fact]
    public async Task AClientsLinkWithAProfileOfItsOwnIsNamedAndKeptApartFromTheSystemsProfileAlone()
    {
        var results = Path.Combine(_directory, "results-with-a-client-link");
        var store = ResultFiles.Runs.In(results);
        var ct = TestContext.Current.CancellationToken;
        (string, string, double, double?)[] variants = [("naive", "naive", 600, 3), ("optimized", "naive, n-plus-one-db=optimized", 140, 3)];
        // A run from before the lab recorded the client's link, one that recorded the system's profile there, and the newest of all: a mobile client.
        await store.WriteAsync(ResultSamples.Make("n-plus-one-db", "seed", new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero), variants), ct);
        await store.WriteAsync(ResultSamples.Make("n-plus-one-db", "seed", new DateTimeOffset(2025, 3, 2, 12, 0, 0, TimeSpan.Zero), variants) with { ClientProfile = "seed" }, ct);
        var mobile = ResultSamples.Make("n-plus-one-db", "seed", new DateTimeOffset(2025, 3, 3, 12, 0, 0, TimeSpan.Zero), variants) with { ClientProfile = "mobile" };
        Assert.EndsWith(Path.Combine("n-plus-one-db", "20250303T120000Z-seed-client-mobile.json"), await store.WriteAsync(mobile, ct));

        var page = Pages(ResultSamples.Log(results, Path.Combine(_directory, "client-link")), "# 1.").Single();
        var (seed, client) = (page.IndexOf("### Measured: profile `seed`, 20 requests/s", StringComparison.Ordinal),
            page.IndexOf("### Measured: profile `seed`, client link `mobile`, 20 requests/s", StringComparison.Ordinal));
        Assert.InRange(seed, 0, client - 1); // the headline's setup first (two runs), then the mobile client's
        Assert.Contains("Across the 2 current runs", page[seed..client]);
        Assert.DoesNotContain("Across the", page[client..page.IndexOf("\n## ", client, StringComparison.Ordinal)]);
        Assert.Contains("Conditions: network profile `seed`, the client's link (orders-link) `mobile`; 20 requests/s open loop", page);
        Assert.Contains("`env 'Parameters__network-profile=seed' 'Parameters__client-network-profile=mobile' bash scripts/run.sh -c Release`", page);
        Assert.Contains("`env 'Parameters__network-profile=seed' bash scripts/run.sh -c Release`", page);
        Assert.True(File.Exists(Path.Combine(_directory, "client-link", "charts", "n-plus-one-db-seed-client-mobile.svg")));
    }

    [Fact]
    public void AResultWithoutServerTimingsHasNoTimeBreakdown() =>
        Assert.DoesNotContain("Where the time goes", ResultSamples.Read(Generate("log")));

    [Fact]
    public void TheIndexListsWhatIsNotYetWrittenUpOrMeasuredAndLinksEachEntrysPage()
    {
        var index = File.ReadAllText(Generate("log"));

        Assert.Contains("- `compression` — Uncompressed payloads: no write-up yet (docs/log/compression.md), measured.", index);
        Assert.Contains("- `lock-contention` — Lock contention: no write-up yet (docs/log/lock-contention.md), no result file yet.", index);
        Assert.DoesNotContain("- `n-plus-one-db`", index);
        Assert.Contains("| 1 | [`n-plus-one-db`](entries/n-plus-one-db.md) |", index);
        Assert.Contains("[Ceiling and the cost of telemetry](entries/ceiling.md)", index);
    }

    [Fact]
    public void AnEntryTextWithoutALabelIsRefusedNamingTheFileAndTheLabel()
    {
        var texts = Directory.CreateDirectory(Path.Combine(_directory, "texts")).FullName;
        var text = File.ReadAllText(Path.Combine(Fixtures, "log", "n-plus-one-db.md")).Replace("**Fix.**", "**The fix.**");
        File.WriteAllText(Path.Combine(texts, "n-plus-one-db.md"), text);

        var error = Assert.Throws<LabInputException>(() => LogWriter.Write(Path.Combine(Fixtures, "results"), Path.Combine(_directory, "out.md"), texts));

        Assert.Contains(Path.Combine(texts, "n-plus-one-db.md"), error.Message);
        Assert.Contains("**Fix.**", error.Message);
    }

    private static RunResult TwoVariantsOfNPlusOneDb() =>
        ResultSamples.Make("n-plus-one-db", "seed", new DateTimeOffset(2025, 3, 2, 12, 0, 0, TimeSpan.Zero),
            ("naive", "naive", 1000, 201), ("optimized", "naive, n-plus-one-db=optimized", 12, 2));

    private string Generate(string name)
    {
        var docs = Directory.CreateDirectory(Path.Combine(_directory, name)).FullName;
        var output = Path.Combine(docs, "optimizations.md");
        LogWriter.Write(Path.Combine(Fixtures, "results"), output, Path.Combine(Fixtures, "log"));
        return output;
    }

    /// <summary>An entry's page as <see cref="Generate"/> wrote it.</summary>
    private string Page(string name, string id)
    {
        var index = Generate(name);
        return File.ReadAllText(Path.Combine(Path.GetDirectoryName(index)!, "entries", id + ".md"));
    }

    /// <summary>The pages of a log read by <see cref="ResultSamples.Read"/> whose title starts so.</summary>
    private static IEnumerable<string> Pages(string log, string title) =>
        log.Split("\n# ").Select(page => "# " + page).Where(page => page.StartsWith(title, StringComparison.Ordinal));

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
