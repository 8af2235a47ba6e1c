using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PerfReference.OrdersService.Infrastructure;
using PerfReference.Topology;

namespace PerfReference.ComponentTests.Hosting;

/// <summary>
/// The readiness gate as OrdersService wires it: before the instance is ready every request but a health probe is
/// answered 503 with Retry-After and problem details saying what it waits for, and none reaches an endpoint; once ready,
/// requests pass, and it stays open.
/// </summary>
public sealed class ReadinessGateTests : IAsyncDisposable
{
    private WebApplication? _app;
    private int _served;

    [Fact]
    public async Task BeforeTheInstanceIsReadyARequestIsToldToComeBackAndAProbeIsAnswered()
    {
        var ct = TestContext.Current.CancellationToken;
        string? waitingFor = "its connection pools are opening and its caches warming";
        var client = await StartAsync(() => waitingFor, ct);

        using var early = await client.GetAsync("/work", ct);
        using var probe = await client.GetAsync(HealthEndpoints.Health, ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), early.Headers.RetryAfter?.Delta);
        Assert.Contains("pools are opening", (await early.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail);
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        Assert.Equal(0, _served);

        waitingFor = null;
        using var ready = await client.GetAsync("/work", ct);
        waitingFor = "whatever happens later"; // once open, it stays open: admission control sheds from then on
        using var later = await client.GetAsync("/work", ct);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal(2, _served);
    }

    private async Task<HttpClient> StartAsync(Func<string?> waitingFor, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();
        _app = builder.Build();
        _app.UseReadinessGate(waitingFor, retryAfterSeconds: 2);
        _app.MapHealthChecks(HealthEndpoints.Health);
        _app.MapGet("/work", () =>
        {
            Interlocked.Increment(ref _served);
            return "done";
        });
        await _app.StartAsync(ct);
        return _app.GetTestClient();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
