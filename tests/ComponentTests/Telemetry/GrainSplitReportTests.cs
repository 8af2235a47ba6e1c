using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.ComponentTests.Telemetry;

/// <summary>
/// A request whose grain calls the silos timed says where their time went in each of the ways the lab and the
/// dashboard read a request's figures: the response's header and Server-Timing, the request's span, the meter
/// <c>PerfReference.Performance</c> — always the critical path's sums and the longest single wait, never a sum of calls
/// that overlapped. The calls here are recorded as <c>GrainCallCounter</c> records them, without a silo.
/// </summary>
public sealed class GrainSplitReportTests
{
    [Fact]
    public async Task ThreeCallsTwoOfThemTogetherAreReportedAsAPathOfTwo()
    {
        var ct = TestContext.Current.CancellationToken;
        var ms = Stopwatch.Frequency / 1000;
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var waits = new ConcurrentBag<(string Instrument, double Value)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == PerfMetrics.MeterName && instrument.Name.StartsWith("perf.request.grain_", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((instrument, value, _, _) => waits.Add((instrument.Name, value)));
        meters.Start();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration[ServiceMode.ConfigurationKey] = ServiceMode.Lab;
        builder.AddPerfSwitch();
        await using var app = builder.Build();
        app.UsePerfSwitch();
        app.MapGet("/grains", () =>
        {
            var counters = PerfRequest.Current!.Counters;
            // One call, then two made together once it answered: 3 ms waiting in the silo each, the last one 4 ms.
            counters.RecordGrainCallSplit(new GrainCallSplit(0, 10 * ms, TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(1)));
            counters.RecordGrainCallSplit(new GrainCallSplit(10 * ms, 18 * ms, TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(1)));
            counters.RecordGrainCallSplit(new GrainCallSplit(10 * ms, 20 * ms, TimeSpan.FromMilliseconds(4), TimeSpan.FromMilliseconds(1)));
            return "ok";
        });
        await app.StartAsync(ct);

        var trace = ActivityTraceId.CreateRandom(); // this request's span among those of tests running beside it
        using var request = new HttpRequestMessage(HttpMethod.Get, "/grains");
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await app.GetTestClient().SendAsync(request, ct);

        Assert.Equal("2", PerfHeaders.Header(response, PerfTags.GrainPathCallsHeader));
        var timing = ServerTiming.Durations(PerfHeaders.Header(response, ServerTiming.HeaderName));
        Assert.Equal((11.0, 7.0, 2.0, 4.0), (timing[ServerTiming.GrainLink], timing[ServerTiming.GrainWait], timing[ServerTiming.GrainRun], timing[ServerTiming.GrainLongestWait]));
        var span = Assert.Single(spans, s => s.TraceId == trace);
        Assert.Equal((2, 11.0, 7.0, 2.0, 4.0), (span.GetTagItem(PerfTags.GrainPathCalls), span.GetTagItem(PerfTags.GrainPathLinkMs),
            span.GetTagItem(PerfTags.GrainPathSiloWaitMs), span.GetTagItem(PerfTags.GrainPathRunMs), span.GetTagItem(PerfTags.GrainLongestSiloWaitMs)));
        Assert.Contains(("perf.request.grain_path_silo_wait", 7.0), waits);
        Assert.Contains(("perf.request.grain_silo_wait_max", 4.0), waits);
    }
}
