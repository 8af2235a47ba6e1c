using System.Text.Json;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Traces;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// While the system runs, an entry's record page shows above the committed log the newest kept pair that this dashboard
/// still holds (a newly started dashboard holds none of the committed log's traces), and links only what it holds.
/// </summary>
public sealed class HeldTracesTests
{
    private static readonly RunTraces Stored = JsonSerializer.Deserialize(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "LoadLab", "Fixtures", "traces", "n-plus-one-db.traces.json")), JsonFiles.Json.RunTraces)!;

    /// <summary>The stored pair as a run at <paramref name="started"/> kept it, its trace ids made its own by <paramref name="mark"/> (their first hex digit).</summary>
    private static RunTraces RunAt(DateTimeOffset started, char mark) => Stored with
    {
        StartedUtc = started,
        Result = $"{started:yyyyMMdd'T'HHmmss'Z'}-seed.json",
        Variants = [.. Stored.Variants.Select(v => v with { Traces = [.. v.Traces.Select(t => t with { TraceId = mark + t.TraceId[1..] })] })],
    };

    private static readonly DateTimeOffset Noon = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TheNewestPairWhoseEveryTraceTheDashboardHoldsIsShown()
    {
        var ct = TestContext.Current.CancellationToken;
        var (older, newer, newest) = (RunAt(Noon, 'a'), RunAt(Noon.AddHours(1), 'b'), RunAt(Noon.AddHours(2), 'c'));
        // The dashboard holds the older run whole, and of the newest run only its naive traces (its optimized ones not yet exported).
        var held = new HashSet<string>(older.Variants.SelectMany(v => v.Traces).Select(t => t.TraceId)) { newest.Of("naive", "p50")!.TraceId, newest.Of("naive", "p99")!.TraceId };
        var asked = new List<string>();
        var traces = new HeldTraces((id, _) => { lock (asked) { asked.Add(id); } return Task.FromResult(held.Contains(id)); });

        var pair = await traces.NewestPairAsync([older, newest, newer], "n-plus-one-db", ct);

        Assert.Same(older, pair);
        Assert.Equal(asked.Distinct().Count(), asked.Count); // each id asked about once
        Assert.Null(await new HeldTraces((_, _) => Task.FromResult(true)).NewestPairAsync([older], "n-plus-one-grains", ct));
    }

    [Fact]
    public async Task OnlyTheNewestPairsAreAskedAbout()
    {
        var ct = TestContext.Current.CancellationToken;
        var runs = Enumerable.Range(0, HeldTraces.PairsAskedAbout + 1).Select(hour => RunAt(Noon.AddHours(hour), (char)('a' + hour))).ToArray();
        var oldest = runs[0].Variants.SelectMany(v => v.Traces).Select(t => t.TraceId).ToHashSet();
        var asked = 0;

        var pair = await new HeldTraces((id, _) => { Interlocked.Increment(ref asked); return Task.FromResult(oldest.Contains(id)); })
            .NewestPairAsync(runs, "n-plus-one-db", ct);

        Assert.Null(pair); // the oldest is held, but a run that old is not looked for
        Assert.Equal(HeldTraces.PairsAskedAbout * 4, asked);
    }

    [Fact]
    public void ThePageLeadsWithTheHeldPairsRequestsOrSaysHowToGetOne()
    {
        var pair = RunAt(Noon, 'a');

        var shown = RecordPage.TracesInThisDashboard("n-plus-one-db", pair);
        var none = RecordPage.TracesInThisDashboard("n-plus-one-db", null);

        Assert.StartsWith($"## {RecordPage.InThisDashboard}\n", shown);
        Assert.Contains("results/n-plus-one-db/20261206T120000Z-seed.json", shown);
        Assert.All(pair.Variants.SelectMany(v => v.Traces), trace => Assert.Contains($"`{trace.TraceId}`", shown));
        Assert.Contains("| naive | p50 (", shown);
        Assert.Contains("| optimized | p99 (", shown);
        Assert.Contains("Run the scenario from the `loadlab` resource's commands", none);
        Assert.DoesNotContain("|", none);
    }
}
