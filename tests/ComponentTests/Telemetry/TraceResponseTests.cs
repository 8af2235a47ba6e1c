using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.ComponentTests.Telemetry;

/// <summary>
/// A lab request hears back its own trace context (<c>traceresponse</c>): the trace it belongs to, the service's span of
/// it, and whether that trace is recorded — what the load lab keeps beside each latency to read back from the dashboard
/// the trace of the request nearest a percentile, recorded or not; the perf tags go on the span only when it is recorded.
/// Outside the lab no such header is written.
/// </summary>
public sealed class TraceResponseTests
{
    [Theory]
    [InlineData(true, "01")]
    [InlineData(false, "00")]
    public async Task ALabRequestHearsBackItsTraceAndItsOwnSpan(bool recorded, string flags)
    {
        var ct = TestContext.Current.CancellationToken;
        var trace = ActivityTraceId.CreateRandom(); // this request's span among those of tests running beside it
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> options) => options.Parent.TraceId != trace ? ActivitySamplingResult.None
                : recorded ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.PropagationData,
            ActivityStarted = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var app = await StartAsync(ServiceMode.Lab, ct);

        using var response = await SendAsync(app, trace, ct);

        var span = Assert.Single(spans, s => s.TraceId == trace);
        Assert.Equal($"00-{trace.ToHexString()}-{span.SpanId.ToHexString()}-{flags}", PerfHeaders.Header(response, PerfTags.TraceResponseHeader));
        // The perf tags go on a recorded span only: an unrecorded one (telemetry=sampled) is exported nowhere.
        Assert.Equal(recorded, span.GetTagItem(PerfTags.Variant) is not null);
    }

    [Fact]
    public async Task OutsideTheLabNoTraceContextIsAnswered()
    {
        var ct = TestContext.Current.CancellationToken;
        var trace = ActivityTraceId.CreateRandom();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        await using var app = await StartAsync(ServiceMode.Production, ct);

        using var response = await SendAsync(app, trace, ct);

        Assert.False(response.Headers.Contains(PerfTags.TraceResponseHeader));
    }

    private static async Task<WebApplication> StartAsync(string mode, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration[ServiceMode.ConfigurationKey] = mode;
        builder.AddPerfSwitch();
        var app = builder.Build();
        app.UsePerfSwitch();
        app.MapGet("/ok", () => "ok");
        await app.StartAsync(ct);
        return app;
    }

    private static Task<HttpResponseMessage> SendAsync(WebApplication app, ActivityTraceId trace, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/ok");
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        return app.GetTestClient().SendAsync(request, ct);
    }
}
