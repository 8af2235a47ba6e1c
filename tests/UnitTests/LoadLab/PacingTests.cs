using PerfReference.LoadLab.Engine;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// When an open loop's requests are due: on a fixed period (the measured loads, comparable run to run), or at random
/// moments of the same mean rate (a companion load beside a measured one, so that the two never keep one phase).
/// </summary>
public sealed class PacingTests
{
    private const double Rate = 20_000; // fast enough that a few thousand arrivals take a fraction of a second
    private const int Arrivals = 3_000;

    [Fact]
    public async Task AnOpenLoopIsDueOnAFixedPeriod()
    {
        var gaps = await GapsAsync(Pacing.Open(Rate, Arrivals));

        Assert.All(gaps, gap => Assert.InRange(gap, 1 / Rate - 1e-6, 1 / Rate + 1e-6)); // offsets are TimeSpans: a microsecond apart at most
    }

    [Fact]
    public async Task APoissonLoopKeepsTheMeanRateWithGapsAsIrregularAsIndependentArrivals()
    {
        var gaps = await GapsAsync(Pacing.Poisson(Rate, Arrivals, int.MaxValue, new Random(2026)));

        var mean = gaps.Average();
        var deviation = Math.Sqrt(gaps.Sum(gap => (gap - mean) * (gap - mean)) / gaps.Length);
        Assert.InRange(mean * Rate, 0.95, 1.05);             // the rate asked for, on average
        Assert.InRange(deviation / mean, 0.9, 1.1);           // an exponential's gaps deviate by their mean; a period's by nothing
        Assert.All(gaps, gap => Assert.True(gap >= 0));
        Assert.Null(await Pacing.Poisson(Rate, 0, int.MaxValue, new Random(1)).NextAsync(0, 0, TestContext.Current.CancellationToken));
    }

    /// <summary>The gaps, in seconds, between the due moments of <see cref="Arrivals"/> requests (from their offsets, not from when they were sent).</summary>
    private static async Task<double[]> GapsAsync(Pacing pacing)
    {
        var offsets = new List<double>();
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        for (long i = 0; await pacing.NextAsync(i, start, TestContext.Current.CancellationToken) is { } arrival; i++)
        {
            offsets.Add(arrival.Offset.TotalSeconds);
        }

        Assert.Equal(Arrivals, offsets.Count);
        return [.. offsets.Zip(offsets.Skip(1), (before, after) => after - before)];
    }
}
