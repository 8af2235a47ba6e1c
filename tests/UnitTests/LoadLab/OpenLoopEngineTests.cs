using System.Diagnostics;
using System.Diagnostics.Metrics;
using HdrHistogram;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// The lab's percentiles must include a stall for every request that was due during it. Against a
/// server that freezes for 1 s, an open-loop run at 50 rps has ~50 requests due in the frozen
/// window, waiting on average 0.5 s; a closed-loop client (send, wait, send) sends one request
/// into the stall and records one slow sample. Counts carry the assertions, with wide margins.
/// </summary>
public sealed class OpenLoopEngineTests
{
    private const double Rate = 50;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task RequestsDueDuringAStallAreRecordedWithTheStall()
    {
        await using var server = await StallingServer.StartAsync();
        using var http = LabClient.Create(server.BaseUrl);
        var plan = new LoadPlan("stall", Rate, Duration, TimeSpan.Zero, [Variant.Naive, Variant.Optimized]);

        var measurement = await new OpenLoopEngine(http).RunAsync(plan, _ => new HttpRequestMessage(HttpMethod.Get, "work"), new LiveRun(plan), TestContext.Current.CancellationToken);

        var latency = Merge(measurement.Recorders.Select(r => r.LatencySnapshot()));
        Assert.Equal(150, latency.TotalCount);
        Assert.All(measurement.Recorders, r => Assert.Equal(0, r.Errors));
        Assert.All(measurement.Recorders, r => Assert.Equal(3.0, r.Totals().MeanOf(PerfCounter.DbRoundtrips)));

        // Due in the window's first three quarters (~37 requests): each waited at least 250 ms.
        var slow = CountAtOrAbove(latency, TimeSpan.FromMilliseconds(250));
        Assert.InRange(slow, 25, 55);
        Assert.True(latency.GetValueAtPercentile(90) >= 400_000, $"p90 {latency.GetValueAtPercentile(90)} µs should include the stall");
        Assert.True(latency.GetMaxValue() >= 800_000, $"max {latency.GetMaxValue()} µs should be close to the 1 s stall");

        // The tail is told apart from the service's own time, and the lab's own lateness is recorded beside it.
        Assert.All(measurement.Recorders, r => Assert.Equal(1.5, r.Totals().ServerP99Ms));
        Assert.All(measurement.Recorders, r => Assert.NotNull(r.Totals().SendLatenessP99Ms));
    }

    [Fact]
    public async Task AClosedLoopClientWouldRecordTheStallOnlyOnce()
    {
        await using var server = await StallingServer.StartAsync();
        using var http = LabClient.Create(server.BaseUrl);
        var latencies = new List<TimeSpan>();
        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < Duration)
        {
            // Closed loop: the next request waits for the previous answer (and the 20 ms pace of 50 rps).
            var sent = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync("work", TestContext.Current.CancellationToken);
            latencies.Add(Stopwatch.GetElapsedTime(sent));
            await Task.Delay(TimeSpan.FromSeconds(1 / Rate), TestContext.Current.CancellationToken);
        }

        Assert.InRange(latencies.Count(l => l >= TimeSpan.FromMilliseconds(250)), 1, 2);
    }

    [Fact]
    public async Task AWarmUpRequestThatIsDroppedIsRecordedNowhereAsASentOneIsNot()
    {
        // No request may be in flight: every one is dropped, the warm-up's 50 and the measured 50.
        var plan = new LoadPlan("warm-up-drops", Rate, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), [Variant.Naive]) { MaxInFlight = 0 };
        using var metrics = new LabMetrics();
        var dropped = 0L;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == LabMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var all = tags.ToArray();
            if (all.Contains(new(LabMetrics.ScenarioTag, "warm-up-drops")) && all.Contains(new(LabMetrics.OutcomeTag, LabMetrics.Dropped)))
            {
                Interlocked.Add(ref dropped, value);
            }
        });
        listener.Start();
        using var http = LabClient.Create(new Uri("http://127.0.0.1:1/"));

        var measurement = await new OpenLoopEngine(http, metrics).RunAsync(plan, _ => new HttpRequestMessage(HttpMethod.Get, "work"), new LiveRun(plan), TestContext.Current.CancellationToken);

        Assert.Equal(50, measurement.Recorders[0].Totals().ErrorsByKind[RequestSender.DroppedError]);
        Assert.Equal(50, Interlocked.Read(ref dropped));
    }

    [Fact]
    public async Task MoreInFlightThanTheBoundAreDroppedAndCountedNotWaitedFor()
    {
        await using var server = await StallingServer.StartAsync();
        using var http = LabClient.Create(server.BaseUrl);
        var plan = new LoadPlan("bound", Rate, TimeSpan.FromSeconds(2.5), TimeSpan.Zero, [Variant.Naive]) { MaxInFlight = 5 };

        var measurement = await new OpenLoopEngine(http).RunAsync(plan, _ => new HttpRequestMessage(HttpMethod.Get, "work"), new LiveRun(plan), TestContext.Current.CancellationToken);

        var totals = measurement.Recorders[0].Totals();
        Assert.Equal(plan.TotalRequests, totals.Count);
        Assert.True(totals.ErrorsByKind.GetValueOrDefault("dropped (max in flight)") >= 30, "most requests due in the stall exceed 5 in flight");
    }

    private static HistogramBase Merge(IEnumerable<HistogramBase> histograms)
    {
        var all = new LongHistogram(VariantRecorder.HighestTrackableMicroseconds, 3);
        foreach (var histogram in histograms)
        {
            all.Add(histogram);
        }

        return all;
    }

    private static long CountAtOrAbove(HistogramBase histogram, TimeSpan threshold) =>
        histogram.RecordedValues()
            .Where(v => v.ValueIteratedTo >= threshold.Ticks / TimeSpan.TicksPerMicrosecond)
            .Sum(v => v.CountAddedInThisIterationStep);
}
