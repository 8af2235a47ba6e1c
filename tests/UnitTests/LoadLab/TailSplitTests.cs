using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// A variant's slowest requests are the ones at or above its P99 as its histogram places it, and their split is the
/// means of what those responses said (Server-Timing app, db, grains, payments) — not the means of all requests, and a
/// dependency no slow request reported is no figure.
/// </summary>
public sealed class TailSplitTests
{
    [Fact]
    public void TheSlowestAreTheRequestsAtOrAboveTheP99WithTheMeansOfTheirOwnTimings()
    {
        var recorder = new VariantRecorder(Variant.Optimized);
        for (var ms = 1; ms <= 200; ms++)
        {
            // The service's time a millisecond under the latency, half of it in PostgreSQL; grains only in the fast ones.
            Record(recorder, latencyMs: ms, serverMs: ms - 1, dbMs: ms / 2.0, grainMs: ms < 100 ? 3 : null);
        }

        var tail = recorder.Totals().Slowest!;

        // The P99 of 1..200 ms is 198 ms: 198, 199 and 200 are its requests.
        Assert.Equal(3, tail.Requests);
        Assert.InRange(tail.FromMs, 197.8, 198);
        Assert.Equal((199.0, 198.0, 99.5), (tail.LatencyMs, tail.ServerMs, tail.DbMs!.Value));
        Assert.Null(tail.GrainMs);
        Assert.Null(tail.PaymentMs);
    }

    [Fact]
    public void WithoutServerTimingsThereIsNoSplit()
    {
        var recorder = new VariantRecorder(Variant.Naive);
        recorder.RecordSuccess(5_000, new ResponseCounters(NoCounts), 100);

        Assert.Null(recorder.Totals().Slowest);
        Assert.Null(new VariantRecorder(Variant.Naive).Totals().Slowest);
    }

    private static readonly long?[] NoCounts = [.. PerfCounter.Recorded.Select(_ => (long?)null)];

    private static void Record(VariantRecorder recorder, double latencyMs, double serverMs, double dbMs, double? grainMs) =>
        recorder.RecordSuccess((long)(latencyMs * 1000), new ResponseCounters(NoCounts, ServerMs: serverMs, DbMs: dbMs, GrainMs: grainMs), 100);
}
