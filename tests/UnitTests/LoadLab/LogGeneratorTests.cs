using PerfReference.LoadLab;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Scenarios;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// The log is a function of the result files and the entry texts: the committed fixtures
/// (LoadLab/Fixtures) give byte-for-byte the committed expected log, every time.
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

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        var firstCharts = Directory.GetFiles(Path.Combine(Path.GetDirectoryName(first)!, "charts")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            ["connection-pooling-loopback-through-pgbouncer.svg", "connection-pooling-loopback.svg", "n-plus-one-db-loopback.svg", "n-plus-one-db-seed.svg", "seed-checkout-seed-journey.svg"],
            firstCharts.Select(Path.GetFileName));
        foreach (var chart in firstCharts)
        {
            Assert.Equal(File.ReadAllBytes(chart), File.ReadAllBytes(chart.Replace("first", "second")));
        }
    }

    [Fact]
    public void TheLogEqualsTheCommittedExpectedLog() =>
        Assert.Equal(File.ReadAllText(Path.Combine(Fixtures, "expected-optimizations.md")), File.ReadAllText(Generate("log")));

    [Fact]
    public void TheNewestRunByItsRecordedStartIsShownNotTheNewestFileName()
    {
        var log = File.ReadAllText(Generate("log"));

        // 20250309T000000Z-seed.json records an older start (2025-03-01, naive p50 ~1350 ms): it must lose.
        Assert.Contains("| naive | 1497 | 2806 | 2961 | 3000 | 3000 | 10 | 1 of 301 | 201 | 1.0 | 0.0 | 48,214 | 1.0× | 1.0× |", log);
        Assert.Contains("| optimized | 18.0 | 33.7 | 35.6 | 36.0 | 36.0 | 10 | 1 of 301 | 2.0 | 1.0 | 0.0 | 48,214 | 83.3× | 83.3× |", log);
        Assert.DoesNotContain("2025-03-01", log);
        Assert.Contains("2025-03-02 12:00 UTC", log);
    }

    [Fact]
    public void EveryRunUnderTheSameConditionsGivesTheSpreadOfTheRatio()
    {
        var log = File.ReadAllText(Generate("log"));

        // Two seed runs of n-plus-one-db (ratios 18.0× and 83.3×): lowest, median, highest.
        Assert.Contains("Across the 2 runs under these conditions (naive ÷ optimized, lowest / median / highest): p99 18.0× / 50.6× / 83.3×", log);
    }

    [Fact]
    public void TheSpreadCountsOnlyTheRunsAtTheRateTheSectionShows()
    {
        static RunResult At(double rate, int hour, double naiveMs) =>
            ResultSamples.Make("n-plus-one-db", "seed", new DateTimeOffset(2026, 11, 30, hour, 0, 0, TimeSpan.Zero), ("naive", "", naiveMs, null), ("optimized", "", 10, null)) with { Rate = rate };

        var log = new LogGenerator(Path.Combine(Fixtures, "log"), "charts")
            .Generate([At(20, 0, naiveMs: 30), At(20, 1, naiveMs: 30), At(4, 2, naiveMs: 200), At(4, 3, naiveMs: 100)]).Markdown;

        Assert.Contains("### Measured: profile `seed`, 4 requests/s", log);
        Assert.Contains("Across the 2 runs under these conditions (naive ÷ optimized, lowest / median / highest): p99 10.0× / 15.0× / 20.0×", log);
    }

    [Fact]
    public void ADatabaseEntryShowsItsOwnFiguresAndARunUnderAConditionIsKeptApart()
    {
        var log = File.ReadAllText(Generate("log"));

        Assert.Contains("| variant | connection opens | time to open ms | query p99 ms, opening included | allocated per request | working set MiB, start → peak | gen2 GCs | service CPU ms/request | PostgreSQL CPU ms/request | server sessions/request |", log);
        Assert.Contains("| naive | 1.0 | 21.5 | 0.90 | 61,234 | 120.5 → 131.2 | 0 | 3.2 | 8.4 | 1.0 |", log);
        Assert.Contains("### Measured: profile `loopback`, 20 requests/s, through PgBouncer", log);
        Assert.Contains("| naive | 1.0 | 21.5 | 0.90 | 61,234 | 120.5 → 131.2 | 0 | 3.2 | 8.4 | 0.0 |", log);
        Assert.Contains("(load average 0.4 when it started, 1.7 when it ended)", log);
        Assert.Contains("variants in turn, each on its own after a full collection, 5 s at rest and its own warm-up", log);
    }

    [Fact]
    public void TheJourneyIsAStaircaseOfP99AgainstTheFirstStep()
    {
        var log = File.ReadAllText(Generate("log"));

        Assert.Contains("| step | X-Perf-Variant | p99 ms | first step ÷ this |", log);
        Assert.Contains("| +n-plus-one-db | `naive, n-plus-one-db=optimized` | 2073 | 2.4× |", log);
        Assert.Contains("| optimized | `optimized` | 148 | 34.0× |", log);
    }

    [Fact]
    public async Task WhereTheTimeGoesSplitsEachVariantsLatencyByTheServersTimings()
    {
        var results = Path.Combine(_directory, "results-with-timings");
        var run = ResultSamples.Make("n-plus-one-db", "seed", new DateTimeOffset(2025, 3, 2, 12, 0, 0, TimeSpan.Zero),
            ("naive", "naive", 1000, 201), ("optimized", "naive, n-plus-one-db=optimized", 12, 2));
        run = run with
        {
            Variants =
            [
                run.Variants[0] with { MeanMs = 1500, MeanServerMs = 1200, MeanDbMs = 1060, MeanGrainMs = 1, MeanPaymentMs = 0 },
                // Overlapping grain calls add up to more than the service's time: its own rest is then unknown.
                run.Variants[1] with { MeanMs = 20, MeanServerMs = 12, MeanDbMs = 5.5, MeanGrainMs = 20, MeanPaymentMs = 0 },
            ],
        };
        await ResultFiles.Runs.In(results).WriteAsync(run, TestContext.Current.CancellationToken);

        var log = ResultSamples.Log(results, Path.Combine(_directory, "timings"));
        Assert.Contains("| variant | latency | in the service | PostgreSQL | grains | payment provider | rest of the service | outside the service |", log);
        Assert.Contains("| naive | 1500 | 1200 | 1060 | 1.0 | 0.0 | 139 | 300 |", log);
        Assert.Contains("| optimized | 20.0 | 12.0 | 5.5 | 20.0 | 0.0 | – | 8.0 |", log);
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
        var output = Path.Combine(_directory, "client-link", "optimizations.md");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);

        LogWriter.Write(results, output, Path.Combine(Fixtures, "log"));

        var log = File.ReadAllText(output);
        var (seed, client) = (log.IndexOf("### Measured: profile `seed`, 20 requests/s", StringComparison.Ordinal),
            log.IndexOf("### Measured: profile `seed`, client link `mobile`, 20 requests/s", StringComparison.Ordinal));
        Assert.InRange(seed, 0, client - 1); // the system's profile alone first, then its mobile client
        Assert.Contains("Across the 2 runs under these conditions", log[seed..client]);
        Assert.DoesNotContain("Across the", log[client..]);
        Assert.Contains("Conditions: network profile `seed`, the client's link (orders-link) `mobile`; 20 requests/s open loop", log);
        Assert.Contains("`env 'Parameters__network-profile=seed' 'Parameters__client-network-profile=mobile' bash scripts/run.sh -c Release`", log);
        Assert.Contains("`env 'Parameters__network-profile=seed' bash scripts/run.sh -c Release`", log);
        Assert.True(File.Exists(Path.Combine(_directory, "client-link", "charts", "n-plus-one-db-seed-client-mobile.svg")));
        Assert.Contains("seed, client link mobile", Headline.Newest(store.ReadAll()).Single().Conditions);
    }

    [Fact]
    public void AResultWithoutServerTimingsHasNoTimeBreakdown() =>
        Assert.DoesNotContain("Where the time goes", File.ReadAllText(Generate("log")));

    [Fact]
    public void EntriesWithoutTextOrResultsAreListedAsNotYetMeasured()
    {
        var log = File.ReadAllText(Generate("log"));

        Assert.Contains("- `compression` — Uncompressed payloads: no write-up yet (docs/log/compression.md), measured.", log);
        Assert.Contains("- `lock-contention` — Lock contention: no write-up yet (docs/log/lock-contention.md), no result file yet.", log);
        Assert.DoesNotContain("- `n-plus-one-db`", log);
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

    private string Generate(string name)
    {
        var docs = Directory.CreateDirectory(Path.Combine(_directory, name)).FullName;
        var output = Path.Combine(docs, "optimizations.md");
        LogWriter.Write(Path.Combine(Fixtures, "results"), output, Path.Combine(Fixtures, "log"));
        return output;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
