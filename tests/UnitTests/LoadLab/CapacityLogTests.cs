using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// The log's capacity figures and runtime signals come from result files only: the capacity table
/// at a glance, each search's steps and chart, the rate from which interleaved figures are invalid,
/// and the signals placed in the entry's Detection paragraph.
/// </summary>
public sealed class CapacityLogTests : IDisposable
{
    private static readonly DateTimeOffset Started = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("perfref-capacity-log-").FullName;

    [Fact]
    public async Task CapacitiesTheirRatioAndWhereInterleavingStopsBeingValidAreInTheLog()
    {
        var log = await GenerateAsync("first");

        Assert.Contains("## Capacity at a glance", log);
        Assert.Contains("| [`n-plus-one-db`](entries/n-plus-one-db.md#capacity-n-plus-one-db-seed-phased-500ms) | `seed` | P99 < 500 ms, errors ≤ 1 % | phased | 4.5 | ≥ 101 | ≥ 22.4× | 3 rps | 2025-03-03 | – |", log);
        Assert.Contains("| naive | 4.5 | 6.8 | P99 900 ms > 500 ms | 1.0× |", log);
        Assert.Contains("Interleaved, the first variant broke the service level at 3 requests/s per variant", log);
        Assert.Contains("| 6.8 | 68 | 10.0 | **900** | 0 | 68 | 10.0 | 30.0 | 0 |", log); // the naive step that broke, in bold
        Assert.Contains("![P99 against offered load per variant](../charts/capacity-n-plus-one-db-seed-phased-500ms.svg)", log);
    }

    [Fact]
    public async Task TheRuntimeSignalsFollowTheDetectionParagraphFoldedPerProcessAndPerPhase()
    {
        var log = await GenerateAsync("signals");

        var page = log.IndexOf("(`n-plus-one-db`)", StringComparison.Ordinal);
        var detection = log.IndexOf("**Detection.**", page, StringComparison.Ordinal);
        var signals = log.IndexOf("<details><summary>The runtime signals of the newest run (profile `seed`, 20 requests/s), per process</summary>", StringComparison.Ordinal);
        var fix = log.IndexOf("**Fix.**", page, StringComparison.Ordinal);
        Assert.True(detection < signals && signals < fix, "the signals sit, folded, between Detection and the fix");
        Assert.Contains("From the services' `System.Runtime` meter, one sample a second, naive and optimized interleaved", log);
        Assert.Contains("| orders | 0.50 / 0.50 | 4 → 12 | 250 | 7 | 1 | 3.0 | 60.0 (+300.0) | 120 (+600.0) |", log);
        Assert.Contains("| silo 1 |", log);
        Assert.Contains("| silo 2 | could not attach: gone | | | | | | | | |", log);
        // The phased capacity search: one row per variant's climb.
        Assert.Contains("| naive | orders | 0.50 / 0.50 | 4 → 4 | 0 |", log);
        Assert.Contains("| optimized | orders | 0.50 / 0.50 | 4 → 4 | 0 |", log);
    }

    [Fact]
    public async Task ASoakShowsEachPhasesSignalsAndWhatItLeftOnTheLiveHeap()
    {
        var results = Path.Combine(_directory, "soak-results");
        var run = ResultSamples.Make("n-plus-one-db", "seed", Started, ("naive", "naive", 10, 2), ("optimized", "naive, n-plus-one-db=optimized", 10, 2)) with
        {
            Signals = Signals(),
            Phases = [new("naive", 0, 2.5) { LiveHeapMBBefore = 40, LiveHeapMBAfter = 41 }, new("optimized", 2.5, 3) { LiveHeapMBBefore = 41, LiveHeapMBAfter = 41 }],
        };
        await ResultFiles.Runs.In(results).WriteAsync(run, TestContext.Current.CancellationToken);

        var log = ResultSamples.Log(results, Path.Combine(_directory, "soak"));
        Assert.Contains("one variant after the other", log);
        Assert.Contains("| naive | orders | 0.50 / 0.50 | 4 → 9 | 250 |", log); // samples at 1 and 2 s
        Assert.Contains("| optimized | orders | 0.50 / 0.50 | 12 → 12 | 3 |", log); // the sample at 3 s
        Assert.Contains("OrdersService's live heap (after a full collection) before and after each phase: naive 40.0 → 41.0 MB (+24.0 MB per minute); optimized 41.0 → 41.0 MB (0.0 MB per minute).", log);
    }

    [Fact]
    public async Task EachStepThatRecordedItsSlowestRequestsShowsWhereTheyWentAndASearchWithoutThemShowsNothing()
    {
        Assert.DoesNotContain("Where each step's slowest 1 %", await GenerateAsync("without-tails"));

        var results = Path.Combine(_directory, "tail-results");
        var search = Capacity("phased", null);
        var tail = new TailTimeSplit(3, FromMs: 40, LatencyMs: 45, ServerMs: 30, DbMs: 20, GrainMs: 5, PaymentMs: null);
        search = search with { Steps = [.. search.Steps.Select(step => step.Variant == "optimized" && step.Rate == 101 ? step with { Slowest = tail } : step)] };
        await ResultFiles.Capacity.In(results).WriteAsync(search, TestContext.Current.CancellationToken);

        var log = ResultSamples.Log(results, Path.Combine(_directory, "tails"));
        Assert.Contains("<summary>Where each step's slowest 1 % spent their time</summary>", log);
        Assert.Contains("| optimized at 101/s, slowest 1 % (3, from 40.0 ms) | 45.0 | 30.0 | 20.0 | 5.0 | – | 5.0 | 15.0 |", log);
        Assert.DoesNotContain("| naive at ", log);
    }

    [Fact]
    public async Task TheSameCapacityResultsGiveTheSameBytes()
    {
        var first = await GenerateAsync("one");
        var second = await GenerateAsync("two");

        Assert.Equal(first, second);
        Assert.Equal(
            File.ReadAllText(Path.Combine(_directory, "one", "charts", "capacity-n-plus-one-db-seed-phased-500ms.svg")),
            File.ReadAllText(Path.Combine(_directory, "two", "charts", "capacity-n-plus-one-db-seed-phased-500ms.svg")));
    }

    private async Task<string> GenerateAsync(string name)
    {
        var results = Path.Combine(_directory, name + "-results");
        var ct = TestContext.Current.CancellationToken;
        var run = ResultSamples.Make("n-plus-one-db", "seed", Started,
            ("naive", "naive", 1000, 201), ("optimized", "naive, n-plus-one-db=optimized", 12, 2)) with { Signals = Signals() };
        await ResultFiles.Runs.In(results).WriteAsync(run, ct);
        await ResultFiles.Capacity.In(results).WriteAsync(Capacity("phased", null), ct);
        await ResultFiles.Capacity.In(results).WriteAsync(Capacity("interleaved", 3), ct);

        return ResultSamples.Log(results, Path.Combine(_directory, name));
    }

    private static IReadOnlyList<ProcessSignals> Signals()
    {
        MeterSample At(double s, double ws, double queue = 0, double threads = 4, double gen2 = 0, double contentions = 0) =>
            new(s, 0.5, ws, ws / 2, 10, gen2, 1, threads, queue, contentions);
        return
        [
            new("orders", 10, [At(1, 100), At(2, 110, 250, 9, 1, 7), At(3, 120, 3, 12)]),
            new("silo", 20, [At(1, 50), At(3, 50)]),
            new("silo", 30, [], "could not attach: gone"),
        ];
    }

    private static CapacityResult Capacity(string mode, double? validBelow)
    {
        CapacityStep Step(string variant, double rate, bool held, double p99) =>
            new(variant, rate, rate, rate + 1, (long)(rate * 10), 0, rate, 10, p99, p99 * 1.2, held, held ? null : $"P99 {p99} ms > 500 ms");
        var steps = new[] { Step("naive", 2, true, 80), Step("naive", 3, true, 120), Step("naive", 4.5, true, 300), Step("naive", 6.8, false, 900) }
            .Concat(new[] { 2, 3, 4.5, 6.8, 10.1, 15.2, 22.8, 34.2, 51.3, 76.9, 101 }.Select(rate => Step("optimized", rate, true, 30)))
            .ToArray();
        var variants = new[]
        {
            new VariantCapacity("naive", "naive", 4.5, true, 6.8, "P99 900 ms > 500 ms"),
            new VariantCapacity("optimized", "naive, n-plus-one-db=optimized", 101, false, null, null),
        };
        return new CapacityResult
        {
            Scenario = "n-plus-one-db",
            Title = "N+1 database queries",
            StartedUtc = Started,
            FinishedUtc = Started.AddMinutes(3),
            Mode = mode,
            SloP99Ms = 500,
            MaxErrorPercent = 1,
            StartRate = 2,
            Factor = 1.5,
            StepSeconds = 10,
            MaxRate = 101,
            Profile = "seed",
            BaseUrl = "http://127.0.0.1:5190",
            Setup = "order 42 with 200 lines",
            Machine = ResultSamples.Machine,
            Commit = "abc1234",
            Command = $"dotnet run -c Release --project src/LoadLab -- capacity n-plus-one-db --mode {mode}",
            Variants = variants,
            Steps = steps,
            InterleavingValidBelow = validBelow,
            Signals = [new ProcessSignals("orders", 10, [new(3, 0.5, 100, 50, 10, 0, 1, 4, 0, 0), new(40, 0.5, 100, 50, 10, 0, 1, 4, 0, 0)])],
        };
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
