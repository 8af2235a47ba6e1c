using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using PerfReference.IntegrationTests.Infrastructure;

namespace PerfReference.IntegrationTests.Measurement;

/// <summary>
/// The load lab as the dashboard's commands use it: the AppHost's <c>loadlab</c> resource runs a
/// scenario against the real OrdersService, one run at a time, and writes the result file.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class LoadLabTests(TopologyFixture topology)
{
    [Fact]
    public async Task ARunStartedThroughTheLabResourceWritesBothVariantsToAResultFile()
    {
        var ct = TestContext.Current.CancellationToken;
        using var lab = await topology.Run.LabClientAsync(ct);
        var run = new { scenario = "n-plus-one-db", rate = 10, duration = "3s", warmup = "1s" };

        using var started = await lab.PostAsJsonAsync("/runs", run, ct);
        using var busy = await lab.PostAsJsonAsync("/runs", run, ct);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        var result = await LabRuns.TakeResultAsync(await LabRuns.WaitUntilIdleAsync(lab, ct), ct);
        var variants = result.GetProperty("variants").EnumerateArray().ToArray();
        Assert.Equal(["naive", "optimized"], variants.Select(v => v.GetProperty("label").GetString()));
        Assert.Equal("naive, n-plus-one-db=optimized", variants[1].GetProperty("header").GetString());
        // The 200-line order read: one query per product naive, a single command optimized.
        Assert.True(variants[0].GetProperty("meanDbRoundtrips").GetDouble() >= 200);
        Assert.True(variants[1].GetProperty("meanDbRoundtrips").GetDouble() <= 3);
        foreach (var variant in variants)
        {
            // 10 rps for 1 s of warm-up and 3 s measured: 30 recorded, alternating between the two variants.
            Assert.Equal(15, variant.GetProperty("count").GetInt64());
            Assert.Equal(0, variant.GetProperty("errors").GetInt64());
            Assert.True(variant.GetProperty("p99Ms").GetDouble() > 0);
            Assert.NotEmpty(variant.GetProperty("histogram").GetString()!);
        }
    }

    [Fact]
    public async Task AnUnknownScenarioIsRefusedWithProblemDetails()
    {
        var ct = TestContext.Current.CancellationToken;
        using var lab = await topology.Run.LabClientAsync(ct);

        using var response = await lab.PostAsJsonAsync("/runs", new { scenario = "frobnicate" }, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'frobnicate' is not a scenario", await response.Content.ReadAsStringAsync(ct));
    }
}
