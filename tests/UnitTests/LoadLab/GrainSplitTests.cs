using System.Text;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// A variant's grain split is what its responses said (X-Perf-Grain-Path-Calls and the grain-* Server-Timing entries):
/// means over the requests that made a grain call, never over those that made none; a response that left a part out
/// counts as none. The entry's page shows it per variant.
/// </summary>
public sealed class GrainSplitTests
{
    [Fact]
    public void TheSplitIsTheMeanOverTheRequestsThatMadeAGrainCall()
    {
        var recorder = new VariantRecorder(Variant.Naive);
        Record(recorder, new GrainPathReading(1, LinkMs: 0.5, SiloWaitMs: 4, RunMs: 1, LongestSiloWaitMs: 4));
        Record(recorder, new GrainPathReading(3, LinkMs: 1.5, SiloWaitMs: 2, RunMs: 3, LongestSiloWaitMs: 1));
        Record(recorder, null); // a request without a grain call

        var split = VariantFigures.Of(recorder, TimeSpan.FromSeconds(1)).GrainSplit!;

        Assert.Equal((2L, 2.0, 1.0, 3.0, 2.0, 2.5), (split.Requests, split.PathCalls, split.LinkMs, split.SiloWaitMs, split.RunMs, split.LongestSiloWaitMs));
        Assert.Equal(4, split.SiloWaitP99Ms, 1);
    }

    [Fact]
    public void AResponseWithoutEveryPartOfTheSplitGivesNoReading()
    {
        var timings = new Dictionary<string, double?> { [ServerTiming.GrainLink] = 1, [ServerTiming.GrainWait] = 2, [ServerTiming.GrainRun] = 3 };

        Assert.Null(GrainPathReading.Of(2, name => timings.GetValueOrDefault(name)));
        timings[ServerTiming.GrainLongestWait] = 2;
        Assert.Equal(new GrainPathReading(2, 1, 2, 3, 2), GrainPathReading.Of(2, name => timings.GetValueOrDefault(name)));
        Assert.Null(GrainPathReading.Of(0, name => timings.GetValueOrDefault(name)));
    }

    [Fact]
    public void TheEntrysPageShowsTheSplitOfEachVariantAndNothingForARunWithoutOne()
    {
        var run = ResultSamples.Make("grain-read-only", "loopback", DateTimeOffset.UnixEpoch, ("naive", "optimized, grain-read-only=naive", 10, null), ("optimized", "optimized", 2, null));
        var md = new StringBuilder();

        GrainSplitSection.Append(md, run);
        Assert.Equal("", md.ToString());

        var split = run with { Variants = [run.Variants[0] with { GrainSplit = new GrainTimeSplit(300, 1, 0.25, 7.5, 1.25, 7.5, 20, 20) }, run.Variants[1]] };
        GrainSplitSection.Append(md, split);

        Assert.StartsWith(GrainSplitSection.Heading, md.ToString(), StringComparison.Ordinal);
        Assert.Contains("| naive | 300 | 1.0 | 0.25 ms | 7.50 ms | 1.25 ms | 7.50 ms | 20.0 ms | 20.0 ms |", md.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("| optimized |", md.ToString(), StringComparison.Ordinal);
    }

    private static void Record(VariantRecorder recorder, GrainPathReading? grains) =>
        recorder.RecordSuccess(1_000, new ResponseCounters([.. PerfCounter.Recorded.Select(_ => (long?)null)]) { GrainPath = grains }, 100);
}
