using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Runs;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// A phased scenario (a cold start cannot be interleaved) runs its variants one after another,
/// each right after its own reset and with no warm-up, so each measures the requests that follow it.
/// </summary>
public sealed class PhasedRunTests
{
    [Fact]
    public async Task EachVariantRunsAloneRightAfterItsOwnReset()
    {
        var ct = TestContext.Current.CancellationToken;
        var resets = new List<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapPost("/reset", (HttpContext http) => { lock (resets) { resets.Add(http.Request.Headers[PerfSelection.HeaderName].ToString()); } });
        // The answer says which reset it follows and which variant asked: a request of the wrong phase would show.
        app.MapGet("/work", (HttpContext http) =>
        {
            lock (resets)
            {
                var phase = resets.Count;
                var matches = resets.Count > 0 && resets[^1] == http.Request.Headers[PerfSelection.HeaderName].ToString();
                http.Response.Headers["X-Perf-Db-Roundtrips"] = (matches ? phase : 100).ToString();
            }
        });
        await app.StartAsync(ct);
        var baseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

        var scenario = new Scenario(LabScenarios.Find(PerfCatalog.CacheWarming.Id)!, "phased", "GET /work",
            (_, _) => Task.FromResult(new PreparedScenario(_ => new HttpRequestMessage(HttpMethod.Get, "work"), "none")))
        {
            BeforeEachVariant = async (http, variant, token) =>
            {
                using var reset = new HttpRequestMessage(HttpMethod.Post, "reset");
                reset.Headers.Add(PerfSelection.HeaderName, variant.Header);
                (await http.SendAsync(reset, token)).EnsureSuccessStatusCode();
            },
        };
        var results = Directory.CreateTempSubdirectory("phased-run").FullName;
        try
        {
            var options = new RunOptions(scenario, Rate: 20, TimeSpan.FromSeconds(1), TimeSpan.Zero, "loopback", baseUrl, results, Journey: false);

            var outcome = await new LabRunner().RunAsync(options, null, ct);

            Assert.Equal(["naive", $"naive, {PerfCatalog.CacheWarming.Id}=optimized"], resets);
            Assert.Collection(outcome.Result.Variants,
                naive => { Assert.Equal(20, naive.Count); Assert.Equal(1.0, naive.MeanOf(PerfCounter.DbRoundtrips)); },
                optimized => { Assert.Equal(20, optimized.Count); Assert.Equal(2.0, optimized.MeanOf(PerfCounter.DbRoundtrips)); });
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    [Theory]
    [InlineData("cache-warming", 2, 40)]  // phased: the load once per variant, without warm-up (each measures from its cold start)
    [InlineData("n-plus-one-db", 1, 25)]  // interleaved: one load for both, after 5 s of warm-up
    public void APhasedRunIsPlannedAsOneLoadPerVariant(string scenario, int phases, int plannedSeconds)
    {
        var options = RunOptions.Create(scenario, 10, "20s", "5s", "loopback", "http://127.0.0.1:5180", Path.GetTempPath(), journey: false);

        var plan = options.Plan();

        Assert.Equal(phases, plan.Phases);
        Assert.Equal(TimeSpan.FromSeconds(plannedSeconds), plan.PlannedLength);
    }

    [Theory]
    [InlineData(3, "5s", 100, 34)]   // 15 warm-up requests would leave 85 customers' first activations among the measured ones
    [InlineData(20, "5s", 100, 5)]   // 100 warm-up requests already
    [InlineData(3, "5s", null, 5)]   // a scenario without a working set (a cold start is its point) keeps what was asked for
    public void TheWarmUpSendsTheScenariosWorkingSetAtLeastOnce(double rate, string warmup, int? workingSet, int warmupSeconds)
    {
        var options = RunOptions.Create("seed-checkout", rate, "60s", warmup, "loopback", "http://127.0.0.1:5180", Path.GetTempPath(), journey: false);

        var warmed = options.WarmingUp(workingSet);

        Assert.Equal(TimeSpan.FromSeconds(warmupSeconds), warmed.Warmup);
        Assert.True(warmed.Plan().WarmupRequests >= (workingSet ?? 0));
    }
}
