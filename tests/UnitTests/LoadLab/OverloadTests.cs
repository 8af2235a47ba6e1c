using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfReference.LoadLab;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Runs;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// The overload run: its steps at multiples of the capacity (taken from the newest phased capacity search), a 503 with
/// Retry-After counted as shed and anything else as failed, its requests meeting the service's admission control (no
/// bypass), and the log's section with the verdict at twice the capacity. Against a server whose answers follow each
/// request's number, never timings.
/// </summary>
public sealed class OverloadTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Started = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, long> NoErrors = [];
    private readonly string _results = Directory.CreateTempSubdirectory("overload-").FullName;
    private WebApplication? _app;
    private bool _admissionOn = true;

    [Fact]
    public async Task EachStepCountsWhatWasAcceptedShedAndFailed()
    {
        await StartAsync();
        var options = Options(capacity: 8, factors: [1, 2]);

        var outcome = await new OverloadRunner().RunAsync(options, null, TestContext.Current.CancellationToken);

        // Request i: shed when i % 4 == 0, failed (500) when i % 4 == 1, accepted otherwise; 8 then 16 requests in 1 s steps.
        Assert.Equal(["1× 8: 8 sent, 4 accepted, 2 shed, 2 failed", "2× 16: 16 sent, 8 accepted, 4 shed, 4 failed"],
            outcome.Result.Steps.Select(s => $"{s.Factor}× {s.Rate}: {s.Sent} sent, {s.Accepted} accepted, {s.Shed} shed, {s.Failed} failed"));
        Assert.Equal("on, 40 in flight, Retry-After 1 s", outcome.Result.Admission);
        Assert.Equal(new Dictionary<string, long> { ["HTTP 500"] = 4, [ErrorKinds.Shed] = 4 }, outcome.Result.Steps[1].ErrorsByKind);
        var written = ResultFiles.Overloads.In(_results).ReadAll().Single();
        Assert.Equal(outcome.Result.Steps.Select(s => s with { ErrorsByKind = NoErrors }), written.Steps.Select(s => s with { ErrorsByKind = NoErrors }));
    }

    [Fact]
    public async Task WithAdmissionControlOffThereIsNothingToMeasureAndItSaysSo()
    {
        _admissionOn = false;
        await StartAsync();

        var refused = await Assert.ThrowsAsync<LabInputException>(() => new OverloadRunner().RunAsync(Options(8, [2]), null, TestContext.Current.CancellationToken));

        Assert.Contains("admission control is off", refused.Message);
    }

    [Fact]
    public void TheCapacityIsTheNewestPhasedSearchsThatFoundOneForTheVariantProfileAndServiceLevelAndTwiceItMustBeAStep()
    {
        IReadOnlyList<CapacityResult> searches =
        [
            Search(Started, "seed", CapacityResult.Phased, optimized: 80),
            Search(Started.AddDays(1), "seed", CapacityResult.Phased, optimized: 85),
            Search(Started.AddDays(2), "seed", CapacityResult.Interleaved, optimized: 30),
            Search(Started.AddDays(3), "loopback", CapacityResult.Phased, optimized: 200),
            Search(Started.AddDays(4), "seed", CapacityResult.Phased, optimized: 20) with { SloP99Ms = 50 },
            Search(Started.AddDays(5), "seed", CapacityResult.Phased, optimized: null),
        ];

        var options = OverloadOptions.Create(PerfCatalog.SeedCheckoutScenario, null, null, "0.5,1,2", "20s", "5s", null, "seed", null, _results, searches);

        Assert.Equal(("optimized", 85.0, 500.0), (options.Variant.Label, options.CapacityRate, options.SloP99Ms));
        Assert.Equal([42.5, 85, 170], options.Factors.Select(options.RateAt));
        Assert.Contains("capacity/seed-checkout/20261202T090000Z-seed-phased.json", options.CapacitySource);
        Assert.Equal(120, OverloadOptions.Create(PerfCatalog.SeedCheckoutScenario, "naive", 120, "1,2", "20s", "5s", "1s", "loopback", null, _results, []).CapacityRate);
        Assert.Throws<LabInputException>(() => OverloadOptions.Create(PerfCatalog.SeedCheckoutScenario, null, null, "1,2", "20s", "5s", null, "wan", null, _results, searches));
        Assert.Equal(20, OverloadOptions.Create(PerfCatalog.SeedCheckoutScenario, null, null, "1,2", "20s", "5s", "50ms", "seed", null, _results, searches).CapacityRate);
        Assert.Throws<LabInputException>(() => OverloadOptions.ParseFactors("0.5,1,1.5"));
        Assert.Throws<LabInputException>(() => OverloadOptions.ParseFactors("2,1"));
    }

    [Fact]
    public void TheLogShowsEveryStepAndTheVerdictAtTwiceTheCapacity()
    {
        var held = Result(Started, (1, 85, 84.6, 0, 120), (2, 170, 82.0, 1_660, 310)); // 100 of the 3400 timed out
        var drowned = Result(Started.AddMinutes(-5), (1, 85, 84.6, 0, 120), (2, 170, 20.0, 0, 9_000));
        var md = new StringBuilder();

        OverloadSection.Append(md, [drowned, held]);
        var log = md.ToString();

        Assert.Contains("## Overload: past the knee", log);
        Assert.Contains("| 2× | 170 | 3400 | 1640 | 82 | 1660 | 100 | 50.0 | 310 | 400 |", log);
        Assert.Contains("— held. Failed: timeout × 100.", log);
        Assert.Contains("At 2× the capacity: goodput 82 req/s, 97 % of the peak 84.6 — held; the accepted requests' P99 310 ms against 500 ms — held.", log);
        Assert.DoesNotContain("9000", log); // an older run of the same scenario, variant and profile
        Assert.Contains("`env 'Parameters__network-profile=seed' 'ServiceSettings__orders__PerfReference__Admission__Enabled=true' bash scripts/run.sh -c Release`", log);
        Assert.True(held.GoodputHeld && held.LatencyHeld);
        Assert.False(drowned.GoodputHeld || drowned.LatencyHeld);

        var empty = new StringBuilder();
        OverloadSection.Append(empty, [], heading: false);
        Assert.Contains("Not measured yet: `bash scripts/measure-drills.sh`", empty.ToString());
        Assert.DoesNotContain("##", empty.ToString());
    }

    private async Task StartAsync() => _app = await LoopbackServer.StartAsync(app =>
    {
        app.MapGet($"/{LabAdmission.StatePath}", () => Results.Json(new AdmissionState(_admissionOn, 40, 1)));
        app.MapGet("/work/{i:long}", (long i, HttpContext http) =>
        {
            if (i % 4 == 0)
            {
                http.Response.Headers.RetryAfter = "1";
                return Results.StatusCode(503);
            }

            return i % 4 == 1 ? Results.StatusCode(500) : Results.Text("ok");
        });
    });

    private OverloadOptions Options(double capacity, IReadOnlyList<double> factors)
    {
        var scenario = new Scenario(LabScenarios.Find(PerfCatalog.SeedCheckoutScenario)!, "overload", "GET /work/{i}",
            (_, _) => Task.FromResult(new PreparedScenario(i => new HttpRequestMessage(HttpMethod.Get, $"work/{i}"), "none")));
        return new OverloadOptions(scenario, Variant.Optimized, capacity, "given (--capacity)", factors, TimeSpan.FromSeconds(1), TimeSpan.Zero, 5_000,
            "loopback", LoopbackServer.BaseUrl(_app!), _results);
    }

    private static CapacityResult Search(DateTimeOffset started, string profile, string mode, double? optimized) => new(Header(started, profile))
    {
        Mode = mode,
        SloP99Ms = 500,
        Variants = [new VariantCapacity("naive", "naive", 4, true, 6, "P99"), new VariantCapacity("optimized", "optimized", optimized, true, optimized * 1.5, "P99")],
    };

    private static OverloadResult Result(DateTimeOffset started, params (double Factor, double Rate, double Goodput, long Shed, double P99)[] steps) => new(Header(started, "seed"))
    {
        Variant = "optimized",
        Header = "optimized",
        CapacityRate = 85,
        CapacitySource = "given (--capacity)",
        SloP99Ms = 500,
        Admission = "on, 40 in flight, Retry-After 1 s",
        StepSeconds = 20,
        WarmupSeconds = 5,
        Steps = [.. steps.Select(s => new OverloadStep(s.Factor, s.Rate, 0, 20, (long)(s.Rate * 20), (long)(s.Goodput * 20), s.Shed, (long)(s.Rate * 20) - (long)(s.Goodput * 20) - s.Shed,
            s.Goodput, 50, s.P99, 400, new Dictionary<string, long> { [ErrorKinds.Shed] = s.Shed, ["timeout"] = (long)(s.Rate * 20) - (long)(s.Goodput * 20) - s.Shed }))],
    };

    private static MeasurementHeader Header(DateTimeOffset started, string profile) => new()
    {
        Scenario = PerfCatalog.SeedCheckoutScenario,
        Title = "The seed checkout",
        StartedUtc = started,
        FinishedUtc = started.AddMinutes(2),
        Machine = ResultSamples.Machine,
        Commit = "abc1234",
        Command = "dotnet run -c Release --project src/LoadLab -- overload seed-checkout",
        Profile = profile,
        BaseUrl = "http://127.0.0.1:5180",
        Setup = "none",
    };

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_results, recursive: true);
    }
}
