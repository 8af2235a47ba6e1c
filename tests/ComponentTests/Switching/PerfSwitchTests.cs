using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.ComponentTests.Switching;

/// <summary>
/// How code learns its variant: from the request in a service, from the call in a grain, from configuration
/// elsewhere — in the lab; outside it, the optimized code whatever anyone asks.
/// </summary>
public sealed class PerfSwitchTests : IAsyncDisposable
{
    private readonly WebApplication _app;

    public PerfSwitchTests()
    {
        // A configured default other than naive, so that falling back to it can be told from a hard-coded naive.
        _app = App(ServiceMode.Lab, defaultVariant: "Optimized");
    }

    private static WebApplication App(string? mode, string defaultVariant)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration[ServiceMode.ConfigurationKey] = mode;
        builder.Configuration[$"{PerfOptions.SectionName}:DefaultVariant"] = defaultVariant;
        builder.AddPerfSwitch();
        var app = builder.Build();
        app.UsePerfSwitch();
        app.MapGet("/variant", (IPerfSwitch perf) => perf.IsOptimized(PerfCatalog.NPlusOneDb) ? "optimized" : "naive").WithName("ReadVariant");
        return app;
    }

    [Theory]
    [InlineData("naive", "naive")]
    [InlineData("optimized, n-plus-one-db=naive", "naive")]
    [InlineData("naive, n-plus-one-db=optimized", "optimized")]
    [InlineData(null, "optimized")] // no header: the configured default
    public async Task AnEndpointSeesTheVariantItsRequestAskedFor(string? header, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        await _app.StartAsync(ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/variant");
        if (header is not null)
        {
            request.Headers.Add(PerfSelection.HeaderName, header);
        }

        using var response = await _app.GetTestClient().SendAsync(request, ct);

        Assert.Equal(expected, await response.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task WorkOutsideARequestRunsTheConfiguredDefault()
    {
        await using var scope = _app.Services.CreateAsyncScope(); // as the payment worker makes one

        Assert.Equal(PerfSelection.AllOptimized.ToString(), scope.ServiceProvider.GetRequiredService<IPerfSwitch>().Selection.ToString());
    }

    [Theory]
    [InlineData(PerfSelection.HeaderName, "naive, no-such-entry=optimized", "is not a catalog entry")]
    [InlineData(PerfSelection.HeaderName, "sometimes", "is not a variant")]
    [InlineData(PerfTags.EntryHeader, "no-such-entry", "is not a catalog entry")]
    public async Task ASelectionThatCannotBeHonouredIsRefusedWithProblemDetails(string header, string value, string reason)
    {
        var ct = TestContext.Current.CancellationToken;
        await _app.StartAsync(ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/variant");
        request.Headers.Add(header, value);

        using var response = await _app.GetTestClient().SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, (await response.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail);
    }

    /// <summary>
    /// Production (said, or the default when nothing is said): the naive default configured and the header naming
    /// naive, yet the optimized code; neither a refusal nor counters in the answer.
    /// </summary>
    [Theory]
    [InlineData(ServiceMode.Production, "naive")]
    [InlineData(null, "naive, n-plus-one-db=naive")]
    [InlineData(ServiceMode.Production, "sometimes")] // not even a variant: ignored, not refused
    public async Task OutsideTheLabEveryRequestRunsTheOptimizedCodeWhateverItAsks(string? mode, string header)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = App(mode, defaultVariant: "Naive");
        await app.StartAsync(ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/variant");
        request.Headers.Add(PerfSelection.HeaderName, header);
        request.Headers.Add(PerfTags.EntryHeader, "no-such-entry");

        using var response = await app.GetTestClient().SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("optimized", await response.Content.ReadAsStringAsync(ct));
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("X-Perf-", StringComparison.OrdinalIgnoreCase) || h.Key == ServerTiming.HeaderName);
    }

    [Fact]
    public async Task OutsideTheLabWorkOutsideARequestRunsTheOptimizedCodeWhateverTheConfiguredDefault()
    {
        await using var app = App(ServiceMode.Production, defaultVariant: "Naive");
        await using var scope = app.Services.CreateAsyncScope();

        Assert.Equal(PerfSelection.AllOptimized.ToString(), scope.ServiceProvider.GetRequiredService<IPerfSwitch>().Selection.ToString());
    }

    /// <summary>What production's alerts select a checkout by (deploy/kubernetes/base/monitoring): the endpoint's name on every per-request metric.</summary>
    [Fact]
    public async Task EveryRequestsMetricsNameTheEndpointThatServedIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var operations = new List<string?>();
        var thisApp = _app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(); // not another test's
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == thisApp && instrument.Meter.Name == PerfMetrics.MeterName && instrument.Name == "perf.request.db_roundtrips")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == PerfTags.Operation)
                {
                    lock (operations)
                    {
                        operations.Add(tag.Value as string);
                    }
                }
            }
        });
        listener.Start();
        await _app.StartAsync(ct);

        using var named = await _app.GetTestClient().GetAsync("/variant", ct);
        using var unmatched = await _app.GetTestClient().GetAsync("/no-such-path", ct);

        Assert.Equal(["ReadVariant", PerfTags.OtherOperation], operations);
    }

    [Fact]
    public void AModeThatIsNeitherIsRefusedAtStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ServiceMode.IsLab("labb"));

        Assert.Contains("use Lab or Production", error.Message);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
