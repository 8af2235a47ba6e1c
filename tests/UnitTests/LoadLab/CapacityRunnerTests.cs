using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Runs;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// A capacity search end to end against a server whose naive variant always fails (503) and whose
/// optimized variant always answers: the verdicts come from status codes, never from timings.
/// </summary>
public sealed class CapacityRunnerTests : IAsyncLifetime
{
    private static readonly CapacityPlan Plan = new(StartRate: 2, Factor: 2, MaxRate: 8, Step: TimeSpan.FromSeconds(1), SloP99Ms: 5_000, MaxErrorPercent: 1);
    private readonly string _results = Directory.CreateTempSubdirectory("capacity-").FullName;
    private WebApplication? _app;
    private long _requests;

    public async ValueTask InitializeAsync()
    {
        _app = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/work", (HttpContext http) =>
            {
                Interlocked.Increment(ref _requests);
                return http.Request.Headers[PerfSelection.HeaderName] == "naive" ? Results.StatusCode(503) : Results.Text("ok");
            });
        });
    }

    [Fact]
    public async Task PhasedEachVariantClimbsUntilItBreaksOrTheRatesRunOut()
    {
        var outcome = await new CapacityRunner { Settle = TimeSpan.Zero }.RunAsync(Options(CapacityMode.Phased), null, TestContext.Current.CancellationToken);

        var (naive, optimized) = (outcome.Result.Variants[0], outcome.Result.Variants[1]);
        Assert.Equal((null, true, 2.0), (naive.SustainedRate, naive.Bounded, naive.BrokeAtRate));
        Assert.Equal("100 % errors > 1 %", naive.BrokeBecause);
        Assert.Equal((8.0, false, (double?)null), (optimized.SustainedRate, optimized.Bounded, optimized.BrokeAtRate));
        // The broken step is run once more to confirm the break; then the climb ends.
        Assert.Equal(["naive 2", "naive 2", "optimized 2", "optimized 4", "optimized 8"], outcome.Result.Steps.Select(s => $"{s.Variant} {s.Rate}"));
        Assert.Null(outcome.Result.InterleavingValidBelow);
        Assert.Equal(2 + 2 + 2 + 4 + 8, Interlocked.Read(ref _requests)); // one second per step, no warm-up, nothing sent after the break
        Assert.True(File.Exists(outcome.Path));
        Assert.Equal(outcome.Result.Steps, ResultFiles.Capacity.In(_results).ReadAll().Single().Steps);
    }

    [Fact]
    public async Task InterleavedTheClimbStopsAtTheFirstBreakAndSaysFromWhereInterleavingIsInvalid()
    {
        var outcome = await new CapacityRunner().RunAsync(Options(CapacityMode.Interleaved), null, TestContext.Current.CancellationToken);

        Assert.Equal(2, outcome.Result.InterleavingValidBelow);
        Assert.Equal(["naive 2", "optimized 2", "naive 2", "optimized 2"], outcome.Result.Steps.Select(s => $"{s.Variant} {s.Rate}"));
        Assert.Equal((2.0, false), (outcome.Result.Variants[1].SustainedRate, outcome.Result.Variants[1].Bounded)); // at least 2: it never broke
        Assert.Equal(8, Interlocked.Read(ref _requests)); // both variants at 2 requests/s for one second, twice (the break confirmed)
    }

    private CapacityOptions Options(CapacityMode mode)
    {
        var scenario = new Scenario(LabScenarios.Find(PerfCatalog.NPlusOneDb.Id)!, "capacity", "GET /work",
            (_, _) => Task.FromResult(new PreparedScenario(_ => new HttpRequestMessage(HttpMethod.Get, "work"), "none")));
        var baseUrl = LoopbackServer.BaseUrl(_app!);
        return new CapacityOptions(scenario, mode, Plan, TimeSpan.Zero, "loopback", baseUrl, _results);
    }

    public async ValueTask DisposeAsync()
    {
        await _app!.DisposeAsync();
        Directory.Delete(_results, recursive: true);
    }
}
