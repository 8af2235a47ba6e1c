using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfReference.LoadLab;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// A companion load (grain-read-only's writes of the hot customer) goes out open loop at its own rate until stopped,
/// as its own variant and without X-Perf-Entry (so the service's per-entry figures leave it out), and is counted apart
/// from the measured variants. Only a run sends one: a capacity search or a sweep of such a scenario is refused.
/// </summary>
public sealed class CompanionLoadTests
{
    [Fact]
    public async Task ItSendsItsRequestsAsItsOwnVariantWithoutAnEntryUntilStopped()
    {
        var seen = new ConcurrentQueue<(string? Variant, bool HasEntry, string Path)>();
        await using var app = await LoopbackServer.StartAsync(a => a.MapPost("/api/orders", (HttpRequest request) =>
        {
            seen.Enqueue((request.Headers[PerfSelection.HeaderName], request.Headers.ContainsKey(PerfTags.EntryHeader), request.Path));
            return Results.Ok();
        }));
        using var http = new HttpClient { BaseAddress = LoopbackServer.BaseUrl(app) };
        var writes = new Variant(CompanionRequests.Label, Variant.OnlyNaive(PerfCatalog.PaymentDeferred).Header);
        var requests = new CompanionRequests("POST /api/orders", writes, _ => new HttpRequestMessage(HttpMethod.Post, "api/orders"));

        var companion = CompanionLoad.Start(http, requests, rate: 50, maxInFlight: 100, TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var result = await companion.StopAsync();
        var sent = seen.Count;
        await Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);

        Assert.Equal(sent, seen.Count); // stopped: nothing more goes out
        Assert.InRange(result.Figures.Count, 20, 80);
        Assert.Equal((0L, CompanionRequests.Label, 50.0), (result.Figures.Errors, result.Figures.Label, result.Rate));
        Assert.All(seen, request => Assert.Equal(("optimized, payment-deferred=naive", false, "/api/orders"), (request.Variant, request.HasEntry, request.Path)));
    }

    [Fact]
    public void OnlyARunSendsACompanionLoad()
    {
        Assert.True(LabScenarios.Find(CatalogIds.GrainReadOnly)!.HasCompanion);

        var refused = Assert.Throws<LabInputException>(() => RunOptions.FindScenario(CatalogIds.GrainReadOnly).WithoutCompanion("sweep"));

        Assert.Contains("only run sends", refused.Message, StringComparison.Ordinal);
        var alone = RunOptions.FindScenario(CatalogIds.NPlusOneDb);
        Assert.Same(alone, alone.WithoutCompanion("sweep"));
    }
}
