using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace PerfReference.UnitTests;

/// <summary>
/// <c>telemetry=on</c>'s sampler: every trace up to the cap a second, then none until the bucket refills; never more than
/// a second's worth in a burst; and under the SDK's parent-based sampler a span below a recorded parent is recorded
/// however empty the bucket is, so a trace that started is whole.
/// </summary>
public sealed class TraceRateCapTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void EveryTraceUpToTheCapIsRecordedThenNone()
    {
        var cap = new TraceRateCap(5, _clock);

        Assert.Equal([.. Enumerable.Repeat(SamplingDecision.RecordAndSample, 5), SamplingDecision.Drop, SamplingDecision.Drop], Decide(cap, 7));
    }

    [Fact]
    public void TheBucketRefillsAtTheCap()
    {
        var cap = new TraceRateCap(5, _clock);
        Decide(cap, 5);

        _clock.Advance(TimeSpan.FromMilliseconds(200)); // a fifth of a second: one trace's worth

        Assert.Equal([SamplingDecision.RecordAndSample, SamplingDecision.Drop], Decide(cap, 2));
    }

    [Fact]
    public void AnIdleSpellSavesUpNoMoreThanASecond()
    {
        var cap = new TraceRateCap(5, _clock);

        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(5, Decide(cap, 20).Count(d => d == SamplingDecision.RecordAndSample));
    }

    [Fact]
    public void ASpanBelowARecordedParentIsRecordedWhenTheBucketIsEmpty()
    {
        var cap = new TraceRateCap(1, _clock);
        var sampler = new ParentBasedSampler(cap);
        Decide(cap, 1); // empty

        var recordedParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var droppedParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);

        Assert.Equal(SamplingDecision.RecordAndSample, sampler.ShouldSample(Parameters(recordedParent)).Decision);
        Assert.Equal(SamplingDecision.Drop, sampler.ShouldSample(Parameters(droppedParent)).Decision);
        Assert.Equal(SamplingDecision.Drop, sampler.ShouldSample(Parameters(default)).Decision);
    }

    [Fact]
    public void ACapOfNothingIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TraceRateCap(0, _clock));

    private static SamplingDecision[] Decide(Sampler sampler, int traces) =>
        [.. Enumerable.Range(0, traces).Select(_ => sampler.ShouldSample(Parameters(default)).Decision)];

    private static SamplingParameters Parameters(ActivityContext parent) =>
        new(parent, parent == default ? ActivityTraceId.CreateRandom() : parent.TraceId, "GET /api/products/{id}", ActivityKind.Server);

    /// <summary>A clock that moves only when told.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
