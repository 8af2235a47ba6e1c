using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PerfReference.OrdersService.Infrastructure;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.ComponentTests.Hosting;

/// <summary>
/// Admission control as OrdersService wires it: requests past the limit are refused at once with 503, Retry-After
/// and problem details, while the admitted ones run; health probes always answer; a freed slot admits the next.
/// </summary>
public sealed class AdmissionControlTests : IAsyncDisposable
{
    private const int Limit = 2;

    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _entered = new(0);
    private int _served;
    private WebApplication? _app;

    [Fact]
    public async Task PastTheLimitARequestIsRefusedAtOnceWithRetryAfterAndProbesStillAnswer()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await StartAsync(ServiceMode.Production, enabled: null, ct); // production: on by default
        var held = await HoldAsync(client, Limit, ct);

        using var refused = await client.GetAsync("/work", ct);
        using var probe = await client.GetAsync(HealthEndpoints.Health, ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("retry after 1 s", (await refused.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail);
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        Assert.Equal(Limit, _served); // the refused request never reached the endpoint

        _release.SetResult();
        Assert.All(await Task.WhenAll(held), response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        using var next = await client.GetAsync("/work", ct);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Theory]
    [InlineData(ServiceMode.Lab, null)]      // the lab measures its naive variants as they drown
    [InlineData(ServiceMode.Production, false)]
    public async Task OffNothingIsRefused(string mode, bool? enabled)
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await StartAsync(mode, enabled, ct);

        var held = await HoldAsync(client, Limit + 1, ct); // all three admitted

        _release.SetResult();
        Assert.All(await Task.WhenAll(held), response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Equal(Limit + 1, _served);
    }

    /// <summary>On, the pool has a worker thread for every request it admits from the start (a restarted instance included).</summary>
    [Fact]
    public async Task OnEveryAdmittedRequestCanHaveAWorkerThreadAtOnce()
    {
        ThreadPool.GetMinThreads(out var workers, out _);
        var limit = Math.Max(workers, Environment.ProcessorCount) + 8; // above the pool's minimum as the process started

        await StartAsync(ServiceMode.Production, enabled: null, TestContext.Current.CancellationToken, limit);

        ThreadPool.GetMinThreads(out var raised, out _);
        Assert.True(raised >= limit, $"the pool's minimum is {raised} worker threads; admission control admits {limit} requests at once");
    }

    private async Task<HttpClient> StartAsync(string mode, bool? enabled, CancellationToken ct, int limit = Limit)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration[ServiceMode.ConfigurationKey] = mode;
        builder.Configuration[$"{AdmissionOptions.SectionName}:{nameof(AdmissionOptions.MaxConcurrentRequests)}"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Configuration[$"{AdmissionOptions.SectionName}:{nameof(AdmissionOptions.Enabled)}"] = enabled?.ToString();
        builder.Services.AddPerfOptions();
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();
        builder.AddAdmissionControl();
        _app = builder.Build();
        _app.UseAdmissionControl();
        _app.MapHealthChecks(HealthEndpoints.Health);
        _app.MapGet("/work", async () =>
        {
            Interlocked.Increment(ref _served);
            _entered.Release();
            await _release.Task;
            return "done";
        });
        await _app.StartAsync(ct);
        return _app.GetTestClient();
    }

    /// <summary>Sends <paramref name="count"/> requests and waits until each is inside the endpoint, held there.</summary>
    private async Task<Task<HttpResponseMessage>[]> HoldAsync(HttpClient client, int count, CancellationToken ct)
    {
        var held = Enumerable.Range(0, count).Select(_ => client.GetAsync("/work", ct)).ToArray();
        for (var i = 0; i < count; i++)
        {
            await _entered.WaitAsync(ct);
        }

        return held;
    }

    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _entered.Dispose();
    }
}
