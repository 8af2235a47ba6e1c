using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfReference.LoadLab;
using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Runs;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// The concurrency sweep end to end against a server that fails the naive variant (503) and holds every
/// request a moment (so that requests overlap); the assertions are about what was sent and recorded,
/// never about timings.
/// </summary>
public sealed class SweepTests : IAsyncLifetime
{
    private readonly string _results = Directory.CreateTempSubdirectory("sweep-").FullName;
    private WebApplication? _app;
    private int _inFlight;
    private int _mostInFlight;

    public async ValueTask InitializeAsync()
    {
        _app = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/work", async (HttpContext http) =>
            {
                var now = Interlocked.Increment(ref _inFlight);
                InterlockedMax(ref _mostInFlight, now);
                try
                {
                    await Task.Delay(20);
                    return http.Request.Headers[PerfSelection.HeaderName] == "naive" ? Results.StatusCode(503) : Results.Text("ok");
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            });
        });
    }

    [Fact]
    public async Task EachVariantHoldsEachLevelInTurnAndNeverMoreThanItsLevelInFlight()
    {
        var outcome = await new SweepRunner { Settle = TimeSpan.Zero }.RunAsync(Options("1,4"), null, TestContext.Current.CancellationToken);

        Assert.Equal(["naive 1", "naive 4", "optimized 1", "optimized 4"], outcome.Result.Points.Select(p => $"{p.Variant} {p.InFlight}"));
        Assert.All(outcome.Result.Points, p => Assert.True(p.Requests > 0, $"{p.Variant} at {p.InFlight} sent nothing"));
        Assert.All(outcome.Result.Points.Where(p => p.Variant == "naive"), p => Assert.Equal(p.Requests, p.Errors));
        Assert.All(outcome.Result.Points.Where(p => p.Variant == "optimized"), p => Assert.Equal(0, p.Errors));
        Assert.InRange(Volatile.Read(ref _mostInFlight), 1, 4); // a closed loop never has more in flight than its level
        Assert.True(File.Exists(outcome.Path));
        Assert.Equal(outcome.Result.Points, ResultFiles.Sweeps.In(_results).ReadAll().Single().Points);
        Assert.Empty(ResultFiles.Runs.In(_results).ReadAll()); // a sweep is not read as a scenario run
    }

    [Fact]
    public async Task OneInFlightIsExactlyOneAtATime()
    {
        await new SweepRunner { Settle = TimeSpan.Zero }.RunAsync(Options("1"), null, TestContext.Current.CancellationToken);

        Assert.Equal(1, Volatile.Read(ref _mostInFlight));
    }

    [Theory]
    [InlineData("1,10,50,200", new[] { 1, 10, 50, 200 })]
    [InlineData(" 5 , 20 ", new[] { 5, 20 })]
    public void LevelsAreClimbingWholeNumbers(string text, int[] expected) => Assert.Equal(expected, SweepOptions.ParseLevels(text));

    [Theory]
    [InlineData("", "at least one level")]
    [InlineData("10,1", "must climb")]
    [InlineData("0", "'0' is not a whole number")]
    [InlineData("5,x", "'x' is not a whole number")]
    [InlineData("1001", "from 1 to 1000")]
    public void BadLevelsAreRefusedWithTheReason(string text, string reason) =>
        Assert.Contains(reason, Assert.Throws<LabInputException>(() => SweepOptions.ParseLevels(text)).Message);

    [Fact]
    public void TheLogShowsEachLevelAgainstEachVariantAndTheThroughputRatio()
    {
        var result = Sweep([1, 200], "loopback",
            [
                new("naive", 1, 0, 23, 400, 0, 20, 45, 60, 70, 0),
                new("naive", 200, 23, 46, 500, 0, 25, 7_900, 9_500, 9_800, 3_210),
                new("optimized", 1, 51, 74, 440, 0, 22, 44, 55, 60, 0),
                new("optimized", 200, 74, 97, 5_000, 0, 250, 790, 950, 990, 12),
            ]);
        var md = new StringBuilder();

        SweepSections.Append(md, [result]);

        var log = md.ToString();
        Assert.Contains("### Concurrency sweep: profile `loopback`, closed loop", log);
        Assert.Contains("| in flight | naive req/s | naive p50 ms | naive p99 ms | naive errors | naive lock contentions | optimized req/s |", log);
        Assert.Contains("| 200 | 25 | 7900 | 9500 | 0 | 3210 | 250 | 790 | 950 | 0 | 12 | 10.0× |", log);
        Assert.Contains("sweep lock-contention", log);
    }

    private SweepOptions Options(string levels)
    {
        var scenario = new Scenario(LabScenarios.Find(PerfCatalog.LockContention.Id)!, "sweep", "GET /work",
            (_, _) => Task.FromResult(new PreparedScenario(_ => new HttpRequestMessage(HttpMethod.Get, "work"), "none")));
        var baseUrl = LoopbackServer.BaseUrl(_app!);
        return new SweepOptions(scenario, SweepOptions.ParseLevels(levels), TimeSpan.FromSeconds(1), TimeSpan.Zero, "loopback", baseUrl, _results);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app!.DisposeAsync();
        Directory.Delete(_results, recursive: true);
    }

    internal static SweepResult Sweep(IReadOnlyList<int> levels, string profile, IReadOnlyList<SweepPoint> points) => new()
    {
        Scenario = "lock-contention",
        Title = "Lock contention",
        StartedUtc = DateTimeOffset.Parse("2026-11-29T22:00:00Z", CultureInfo.InvariantCulture),
        FinishedUtc = DateTimeOffset.Parse("2026-11-29T22:05:00Z", CultureInfo.InvariantCulture),
        Levels = levels,
        StepSeconds = 20,
        WarmupSeconds = 3,
        Profile = profile,
        BaseUrl = "http://127.0.0.1:5180",
        Setup = "product 1",
        Machine = new MachineInfo(2, 23.4, "Debian", "10.0.0"),
        Commit = "abc1234",
        Command = "dotnet run -c Release --project src/LoadLab -- sweep lock-contention",
        Points = points,
    };
}
