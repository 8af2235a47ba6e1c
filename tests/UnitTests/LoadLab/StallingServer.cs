using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// A Kestrel server on a free loopback port that answers at once, except that it freezes once
/// for <see cref="StallLength"/> starting <see cref="StallAfter"/> after its first request: every
/// request that arrives in the frozen window is answered when the window ends (a GC pause, a
/// failover, a lock held too long).
/// </summary>
public sealed class StallingServer : IAsyncDisposable
{
    public static readonly TimeSpan StallAfter = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan StallLength = TimeSpan.FromSeconds(1);

    private readonly WebApplication _app;
    private long _firstRequest;

    private StallingServer(WebApplication app) => _app = app;

    public Uri BaseUrl => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    public static async Task<StallingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new StallingServer(app);
        app.MapGet("/work", (Func<HttpContext, Task<IResult>>)server.AnswerAsync);
        await app.StartAsync();
        return server;
    }

    private async Task<IResult> AnswerAsync(HttpContext http)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.CompareExchange(ref _firstRequest, now, 0);
        var sinceFirst = Stopwatch.GetElapsedTime(Interlocked.Read(ref _firstRequest), now);
        if (sinceFirst >= StallAfter && sinceFirst < StallAfter + StallLength)
        {
            await Task.Delay(StallAfter + StallLength - sinceFirst);
        }

        http.Response.Headers["X-Perf-Db-Roundtrips"] = "3";
        // What the service says it spent: the frozen window lies before it (a queue, a pause), as it would in a real one.
        http.Response.Headers["Server-Timing"] = "app;dur=1.5";
        return Results.Text("ok");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
