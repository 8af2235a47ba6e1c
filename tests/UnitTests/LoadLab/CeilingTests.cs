using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfReference.LoadLab;
using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Processes;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Runs;
using PerfReference.LoadLab.Scenarios;
using PerfReference.LoadLab.Signals;
using PerfReference.Performance;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// The ceiling end to end against a loopback server that plays OrdersService's bare endpoint and product cache (a miss
/// on a product's first read, a hit after), and its figures and log text from known throughputs. The assertions are
/// about what was sent, in which order, and what was recorded and written, never about timings.
/// </summary>
public sealed class CeilingTests : IAsyncLifetime
{
    private static readonly long[] Products = [11, 12, 13];

    private readonly string _results = Directory.CreateTempSubdirectory("ceiling-").FullName;
    private readonly ConcurrentDictionary<long, bool> _cached = new();
    private readonly ConcurrentBag<string> _labels = [];
    private WebApplication? _app;
    private bool _cacheForgets;
    private readonly InFlight _bare = new();
    private readonly InFlight _reads = new();
    private int _overlaps;

    public async ValueTask InitializeAsync()
    {
        _app = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/api/diagnostics/bare", async (HttpContext http) =>
            {
                Record(http);
                return await AnswerAsync(_bare, _reads, http, 0, 0, """{"ok":true}""");
            });
            app.MapGet("/api/products", () => Results.Text("""{"items":[{"id":11},{"id":12},{"id":13}]}""", "application/json"));
            app.MapGet("/api/products/{id:long}", async (long id, HttpContext http) =>
            {
                Record(http);
                var hit = _cached.ContainsKey(id) && !_cacheForgets;
                _cached[id] = true;
                return await AnswerAsync(_reads, _bare, http, hit ? 1 : 0, hit ? 0 : 1, $$"""{"id":{{id}}}""");
            });
        });
    }

    [Fact]
    public async Task EachRoundMeasuresBothTargetsOneAfterTheOtherInAlternatingOrderAndRecordsTheTelemetry()
    {
        var telemetry = new TelemetryState(TelemetryState.Off, [new ProcessTelemetry("orders", 42, TelemetryState.Off, new Dictionary<string, string> { ["OTEL_SDK_DISABLED"] = "true" })]);

        var outcome = await new CeilingRunner { ReadTelemetry = () => telemetry }.RunAsync(Options(), null, TestContext.Current.CancellationToken);

        Assert.Equal(["1 bare", "1 cached read", "2 cached read", "2 bare", "3 bare", "3 cached read"], outcome.Result.Points.Select(p => $"{p.Round} {p.Target}"));
        Assert.All(outcome.Result.Points, p =>
        {
            Assert.True(p.Requests > 0, $"round {p.Round} {p.Target} sent nothing");
            Assert.Equal(0, p.Errors);
            Assert.True(p.Throughput > 0);
            Assert.Equal(0, p.MeanDbRoundtrips); // every measured read was a hit
        });
        Assert.Equal(0, Volatile.Read(ref _overlaps)); // one target at a time: never a bare request beside a read
        Assert.Equal(TelemetryState.Off, outcome.Result.Telemetry.State);
        Assert.All(_labels, label => Assert.Equal("optimized|ceiling", label));
        Assert.Contains("products 11..13 (3)", outcome.Result.Setup);

        Assert.True(File.Exists(outcome.Path));
        Assert.StartsWith(Path.Combine(_results, "ceiling"), outcome.Path);
        var read = Assert.Single(ResultFiles.Ceilings.In(_results).ReadAll());
        Assert.Equal(outcome.Result.Points, read.Points);
        Assert.Equal(outcome.Result.Telemetry.Processes.Single().Settings, read.Telemetry.Processes.Single().Settings);
        Assert.Equal(outcome.Result.Summary, read.Summary);
        Assert.Empty(ResultFiles.Runs.In(_results).ReadAll()); // a ceiling is not read as a scenario run
    }

    [Fact]
    public async Task AReadThatDoesNotHitTheCacheStopsTheMeasurementBeforeTheLoad()
    {
        _cacheForgets = true;

        var error = await Assert.ThrowsAsync<ScenarioSetupException>(() =>
            new CeilingRunner { ReadTelemetry = () => TelemetryState.NotRead }.RunAsync(Options(), null, TestContext.Current.CancellationToken));

        Assert.Contains("product 11, read a second time, answered X-Perf-Cache-Hits: 0, not 1", error.Message);
        Assert.False(Directory.Exists(ResultFiles.Ceilings.In(_results).Directory));
    }

    [Fact]
    public void TheOrderOfTheTargetsSwapsEveryRound()
    {
        var prepared = new PreparedCeiling(Target(CeilingTargets.BareVariant), Target(CeilingTargets.CachedReadVariant), "");

        Assert.Equal(["bare", "cached read"], CeilingRunner.Order(prepared, 1).Select(t => t.Label));
        Assert.Equal(["cached read", "bare"], CeilingRunner.Order(prepared, 2).Select(t => t.Label));
        Assert.Equal(["bare", "cached read"], CeilingRunner.Order(prepared, 5).Select(t => t.Label));
    }

    [Fact]
    public void TheRatioIsTakenRoundByRoundAndSpreadOverTheRounds()
    {
        var summary = CeilingSummary.Of(Points((1_000, 600), (1_100, 500), (900, 450)));

        Assert.Equal(new Spread(900, 1_000, 1_100), summary.Bare);
        Assert.Equal(new Spread(450, 500, 600), summary.CachedRead);
        Assert.Equal(500.0 / 1_100, summary.Ratio.Lowest, 9);
        Assert.Equal(0.5, summary.Ratio.Median, 9);
        Assert.Equal(0.6, summary.Ratio.Highest, 9);
        Assert.True(summary.GoalMet); // 50 % at the median is the goal itself
        Assert.False(CeilingSummary.Of(Points((1_000, 499), (1_000, 499), (1_000, 600))).GoalMet);
        Assert.Equal(new Spread(1, 2.5, 4), Spread.Of([4, 1, 3, 2]));
    }

    [Fact]
    public void TheLogShowsEachRoundTheRatioAgainstTheGoalAndTheCostOfTelemetry()
    {
        var on = Result(TelemetryState.On, "2026-12-01T10:00:00Z", (1_000, 600), (1_100, 500), (900, 450));
        var off = Result(TelemetryState.Off, "2026-12-01T11:00:00Z", (1_200, 560), (1_250, 540), (1_150, 500));
        var olderOn = Result(TelemetryState.On, "2026-11-01T10:00:00Z", (10, 1), (10, 1), (10, 1));
        var md = new StringBuilder();

        CeilingSections.Append(md, [off, olderOn, on], "The text.");

        var log = md.ToString();
        Assert.StartsWith("## Ceiling and the cost of telemetry\n\nThe text.\n\n### Ceiling: profile `loopback`, 16 in flight, telemetry on\n\n", log);
        Assert.True(log.IndexOf("telemetry on\n", StringComparison.Ordinal) < log.IndexOf("telemetry off\n", StringComparison.Ordinal));
        Assert.Contains("| round | bare req/s | cached read req/s | cached read ÷ bare |", log);
        Assert.Contains("| 1 | 1000 | 600 | 60.0 % |", log);
        Assert.Contains("| 3 | 900 | 450 | 50.0 % |", log);
        Assert.Contains("| median | 1000 | 500 | 50.0 % |", log);
        Assert.DoesNotContain("| 1 | 10 | 1 |", log); // the older run with telemetry on is not the newest
        Assert.Contains("keeps 50.0 % of the bare endpoint's requests per second at the median of 3 rounds (lowest / median / highest: " +
                        "45.5 % / 50.0 % / 60.0 %): the goal (≥ 50.0 %) is met at the median, not in every round (the lowest keeps 45.5 %).", log);
        Assert.Contains("telemetry off, read from the processes' environment (orders off, silo ×2 off)", log);
        Assert.Contains("`env 'Parameters__network-profile=loopback' 'Parameters__telemetry=off' bash scripts/run.sh -c Release`", log);
        Assert.Contains("dotnet run -c Release --project src/LoadLab -- ceiling --in-flight 16", log);

        Assert.Contains("### The cost of telemetry: profile `loopback`, 16 in flight", log);
        Assert.Contains("| on | 450 / 500 / 600 | 900 / 1000 / 1100 | – | 2026-12-01 10:00 UTC, commit `abc1234` |", log);
        Assert.Contains("| off | 500 / 540 / 560 | 1150 / 1200 / 1250 | – | 2026-12-01 11:00 UTC, commit `abc1234` |", log);
        // 1 − 500 ÷ 540; from the extremes 1 − 600 ÷ 500 and 1 − 450 ÷ 560; the bare endpoint 1 − 1000 ÷ 1200.
        Assert.Contains("at the medians: **7.4 %** (from the rounds' extremes, between -20.0 % and 19.6 %); the goal (≤ 10.0 %) is met. " +
                        "The bare endpoint, where nothing but the pipeline runs: 16.7 % (between 4.3 % and 28.0 %).", log);
    }

    [Fact]
    public void WithoutARunWithTelemetryOffTheLogSaysWhatToRunAndWithoutAnyRunThatItIsNotMeasured()
    {
        var onlyOn = new StringBuilder();
        CeilingSections.Append(onlyOn, [Result(TelemetryState.On, "2026-12-01T10:00:00Z", (1_000, 600), (1_000, 600), (1_000, 600))], null);
        var nothing = new StringBuilder();
        CeilingSections.Append(nothing, [], null);

        Assert.Contains("Needs a run with telemetry off as well: start the system as `env 'Parameters__network-profile=loopback' 'Parameters__telemetry=off' bash scripts/run.sh -c Release`", onlyOn.ToString());
        Assert.Contains("the goal (≥ 50.0 %) is met, in every round.", onlyOn.ToString());
        Assert.DoesNotContain("at the medians", onlyOn.ToString());
        Assert.Contains("Not measured yet.", nothing.ToString());
        Assert.Contains("bash scripts/measure-ceiling.sh", nothing.ToString());
    }

    [Fact]
    public void ARunWhoseTelemetryIsUnknownIsShownButNotCompared()
    {
        var md = new StringBuilder();
        var unknown = Result(TelemetryState.Unknown, "2026-12-01T10:00:00Z", (1_000, 600), (1_000, 600), (1_000, 600)) with { Telemetry = TelemetryState.NotRead };

        CeilingSections.Append(md, [unknown], null);

        Assert.Contains("telemetry unknown\n", md.ToString());
        Assert.Contains("telemetry unknown (no service process of this checkout was found on the machine)", md.ToString());
        Assert.DoesNotContain("The cost of telemetry", md.ToString());
    }

    [Fact]
    public void TheServicesTelemetryIsReadFromTheirEnvironmentKeepingOnlyWhatDecidesItsCost()
    {
        var orders = new ServiceProcess("orders", 10);
        var silo = new ServiceProcess("silo", 11);
        const string off = "OTEL_SDK_DISABLED=True\0OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4317\0OTEL_EXPORTER_OTLP_HEADERS=x-otlp-api-key=secret\0OTEL_METRIC_EXPORT_INTERVAL=1000\0";
        const string on = "OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4317\0OTEL_SDK_DISABLED=1\0";

        var allOff = ServiceTelemetry.Of([(orders, off), (silo, off), (new ServiceProcess("payments", 12), null)]);
        var mixed = ServiceTelemetry.Of([(orders, off), (silo, on)]);

        Assert.Equal(TelemetryState.Off, allOff.State);
        Assert.True(allOff.IsKnown);
        Assert.Equal(2, allOff.Processes.Count); // an environment that cannot be read says nothing
        Assert.Equal(new Dictionary<string, string> { ["OTEL_SDK_DISABLED"] = "True", ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000" }, allOff.Processes[0].Settings);
        Assert.Equal(TelemetryState.Mixed, mixed.State);
        Assert.False(mixed.IsKnown);
        Assert.Equal(TelemetryState.On, ServiceTelemetry.Parse(silo, on).State); // only "true" turns the SDK off
        Assert.Equal(TelemetryState.NoExporter, ServiceTelemetry.Parse(silo, "PATH=/usr/bin\0").State);
        Assert.Equal(TelemetryState.Unknown, ServiceTelemetry.Of([]).State);
    }

    [Fact]
    public void WhatTelemetryCostsOrdersServiceItselfIsItsCpuPerCachedReadWithItAgainstWithout()
    {
        // Two cached-read windows of 10 s, 1,000 requests each; OrdersService at 0.2 then 0.4 cores with telemetry, 0.15 without.
        static CeilingResult WithCpu(CeilingResult result, params double[] cores) => result with
        {
            Points = [.. result.Points.Select((p, i) => p with { FromSeconds = i * 10, ToSeconds = (i + 1) * 10, Requests = 1_000 })],
            Signals = [new ProcessSignals("orders", 1, [.. cores.Select((c, i) => new MeterSample(i * 10 + 5, c, 100, 50, 10, 0, 1, 4, 0, 0))]),
                       new ProcessSignals("silo", 2, [])],
        };
        var on = WithCpu(Result(TelemetryState.On, "2026-12-01T10:00:00Z", (1_000, 400), (1_000, 400)), 0.5, 0.2, 0.5, 0.4);
        var off = WithCpu(Result(TelemetryState.Off, "2026-12-01T11:00:00Z", (1_000, 500), (1_000, 500)), 0.5, 0.15, 0.5, 0.15);
        var sampled = WithCpu(Result(TelemetryState.Sampled, "2026-12-01T12:00:00Z", (1_000, 480), (1_000, 480)), 0.5, 0.1, 0.5, 0.1);

        Assert.Equal(0.003, CeilingSections.CpuPerRequest(on, CeilingPoint.CachedRead)!.Value, 9); // (0.2 × 10 + 0.4 × 10) s ÷ 2,000
        var md = new StringBuilder();
        CeilingSections.Append(md, [on, off, sampled], null);

        var log = md.ToString();
        Assert.Contains("| on | 400 / 400 / 400 | 1000 / 1000 / 1000 | 3000 | 2026-12-01 10:00 UTC", log);
        Assert.Contains("| off | 500 / 500 / 500 | 1000 / 1000 / 1000 | 1500 | 2026-12-01 11:00 UTC", log);
        Assert.Contains("In OrdersService itself a cached read took 3000 µs of CPU with telemetry on and 1500 µs without: 50.0 % of the service's CPU", log);
        // Less with telemetry than without (two runs' noise) is not a negative cost.
        Assert.Contains("a cached read took 1000 µs of CPU with telemetry sampled and 1500 µs without: no more with it, within what separates two runs.", log);
    }

    [Theory]
    [InlineData("OTEL_TRACES_SAMPLER=parentbased_traceidratio\0OTEL_TRACES_SAMPLER_ARG=0.1\0", TelemetryState.Sampled)]
    [InlineData("OTEL_TRACES_SAMPLER=traceidratio\0OTEL_TRACES_SAMPLER_ARG=0.5\0", TelemetryState.Sampled)]
    [InlineData("OTEL_TRACES_SAMPLER=parentbased_always_off\0", TelemetryState.Sampled)]
    [InlineData("OTEL_TRACES_SAMPLER=parentbased_traceidratio\0OTEL_TRACES_SAMPLER_ARG=1\0", TelemetryState.On)]
    [InlineData("OTEL_TRACES_SAMPLER=parentbased_traceidratio\0", TelemetryState.On)] // the SDK's default ratio is 1
    [InlineData("OTEL_TRACES_SAMPLER=Always_On\0", TelemetryState.On)]
    public void AnExportingSdkWhoseSamplerKeepsFewerThanEveryTraceIsSampled(string sampler, string expected)
    {
        var process = ServiceTelemetry.Parse(new ServiceProcess("orders", 10), "OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4317\0" + sampler);

        Assert.Equal(expected, process.State);
        Assert.Equal("parentbased_traceidratio", ServiceTelemetry.Parse(new ServiceProcess("orders", 10),
            "OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4317\0OTEL_TRACES_SAMPLER=parentbased_traceidratio\0").Settings["OTEL_TRACES_SAMPLER"]);
    }

    [Fact]
    public void ARunWithTracesSampledIsComparedWithTheRunWithTelemetryOffBesideTheRunWithEverything()
    {
        var on = Result(TelemetryState.On, "2026-12-01T10:00:00Z", (1_000, 400), (1_000, 400), (1_000, 400));
        var sampled = Result(TelemetryState.Sampled, "2026-12-01T10:30:00Z", (1_000, 480), (1_000, 480), (1_000, 480));
        var off = Result(TelemetryState.Off, "2026-12-01T11:00:00Z", (1_200, 500), (1_200, 500), (1_200, 500));
        var md = new StringBuilder();

        CeilingSections.Append(md, [off, sampled, on], null);

        var log = md.ToString();
        Assert.True(log.IndexOf("telemetry on\n", StringComparison.Ordinal) < log.IndexOf("telemetry sampled\n", StringComparison.Ordinal));
        Assert.True(log.IndexOf("telemetry sampled\n", StringComparison.Ordinal) < log.IndexOf("telemetry off\n", StringComparison.Ordinal));
        Assert.Contains("`env 'Parameters__network-profile=loopback' 'Parameters__telemetry=sampled' bash scripts/run.sh -c Release`", log);
        Assert.Contains("### The cost of telemetry: profile `loopback`, 16 in flight", log);
        Assert.Contains("1 − (req/s with telemetry on ÷ off), at the medians: **20.0 %**", log); // 1 − 400 ÷ 500
        Assert.Contains("### The cost of telemetry, traces sampled: profile `loopback`, 16 in flight", log);
        Assert.Contains("What metrics, logs and sampled traces cost the optimized cached read, 1 − (req/s with telemetry sampled ÷ off), at the medians: **4.0 %**", log);
        Assert.Contains("the goal (≤ 10.0 %) is met", log);
    }

    [Fact]
    public void ASettingTriedAgainstTheCostOfTelemetryIsKeptApartAndComparedWithTheSameRunWithItOffBesideTheDashboardsCpu()
    {
        // Cached-read windows of 10 s; the dashboard at 0.6 cores with telemetry on as shipped, 0.2 with the setting tried, 0.01 off.
        static CeilingResult WithDashboard(CeilingResult result, double cores) => result with
        {
            Points = [.. result.Points.Select((p, i) => p with { FromSeconds = i * 10, ToSeconds = (i + 1) * 10 })],
            Signals = [new ProcessSignals(TopologyServices.Dashboard, 9, [.. result.Points.Select((_, i) => new MeterSample(i * 10 + 5, cores, 100, 50, 10, 0, 1, 4, 0, 0))])],
        };
        var on = WithDashboard(Result(TelemetryState.On, "2026-12-01T10:00:00Z", (1_000, 400), (1_000, 400), (1_000, 400)), 0.6);
        var tried = WithDashboard(Result(TelemetryState.On, "2026-12-01T10:30:00Z", (1_000, 470), (1_000, 470), (1_000, 470)), 0.2)
            with { Condition = "the dashboard holding 1,000 traces" };
        var off = WithDashboard(Result(TelemetryState.Off, "2026-12-01T11:00:00Z", (1_200, 500), (1_200, 500), (1_200, 500)), 0.01);
        var md = new StringBuilder();

        CeilingSections.Append(md, [tried, off, on], null);

        var log = md.ToString();
        Assert.Equal(3, CeilingSections.Newest([tried, off, on]).Count); // the setting tried does not replace the run as shipped
        Assert.Contains("### Ceiling: profile `loopback`, 16 in flight, telemetry on, the dashboard holding 1,000 traces\n", log);
        Assert.Contains("1 − (req/s with telemetry on ÷ off), at the medians: **20.0 %**", log); // 1 − 400 ÷ 500, the system as shipped
        Assert.Contains("### The cost of telemetry, the dashboard holding 1,000 traces: profile `loopback`, 16 in flight", log);
        Assert.Contains("1 − (req/s with telemetry on ÷ off), at the medians: **6.0 %**", log); // 1 − 470 ÷ 500
        Assert.Contains("| on, the dashboard holding 1,000 traces | 470 / 470 / 470 | 1000 / 1000 / 1000 | – | 0.20 | 2026-12-01 10:30 UTC", log);
        Assert.Contains("| off | 500 / 500 / 500 | 1200 / 1200 / 1200 | – | 0.01 |", log);
        Assert.Contains("The Aspire dashboard, receiving the telemetry on the same cores, used 0.60 cores while the cached read was loaded with telemetry on and 0.01 with it off.", log);
        Assert.Contains("Mean CPU (cores) of each service process and of the Aspire dashboard while each target was loaded", log);
    }

    [Fact]
    public void TheCommandOfATriedSettingNamesIt() =>
        Assert.EndsWith("--profile loopback --condition 'the dashboard holding 1,000 traces'",
            (CeilingOptions.Create(16, 5, "10s", "5s", "loopback", null, _results) with { Condition = "the dashboard holding 1,000 traces" }).Command());

    [Theory]
    [InlineData(0, 5, "10s", "--in-flight 0 is not a number of requests from 1 to 1000.")]
    [InlineData(16, 2, "10s", "--rounds 2: give 3 to 50 rounds")]
    [InlineData(16, 5, "500ms", "--step 500ms must be at least 1s")]
    public void OptionsTheLabCannotUseAreRefused(int inFlight, int rounds, string step, string message) =>
        Assert.Contains(message, Assert.Throws<LabInputException>(() => CeilingOptions.Create(inFlight, rounds, step, "5s", "loopback", null, _results)).Message);

    [Fact]
    public void TheCommandReproducesTheMeasurementAsTheScriptRunsIt()
    {
        Assert.Equal("dotnet run -c Release --project src/LoadLab -- ceiling --in-flight 16 --rounds 5 --step 10s --warmup 5s --profile loopback",
            CeilingOptions.Create(CeilingOptions.DefaultInFlight, CeilingOptions.DefaultRounds, CeilingOptions.DefaultStep, CeilingOptions.DefaultWarmup,
                "loopback", null, _results).Command());
        Assert.EndsWith("--step 2s --warmup 0s --profile seed --base-url http://10.0.0.5:5180",
            CeilingOptions.Create(8, 3, "2s", "0s", "seed", "http://10.0.0.5:5180", _results).Command());
    }

    public async ValueTask DisposeAsync()
    {
        await _app!.DisposeAsync();
        Directory.Delete(_results, recursive: true);
    }

    private CeilingOptions Options() =>
        new(4, 3, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(100), "loopback", LoopbackServer.BaseUrl(_app!), _results);

    private void Record(HttpContext http) =>
        _labels.Add($"{http.Request.Headers[PerfSelection.HeaderName]}|{http.Request.Headers[PerfTags.EntryHeader]}");

    /// <summary>How many requests of one target the server holds.</summary>
    private sealed class InFlight
    {
        public int Count;
    }

    /// <summary>Answers a moment later (so requests overlap), noting whether the other target had a request in flight meanwhile.</summary>
    private async Task<IResult> AnswerAsync(InFlight mine, InFlight other, HttpContext http, int hits, int roundtrips, string body)
    {
        Interlocked.Increment(ref mine.Count);
        try
        {
            if (Volatile.Read(ref other.Count) > 0)
            {
                Interlocked.Increment(ref _overlaps);
            }

            await Task.Delay(5);
            http.Response.Headers[PerfCounter.CacheHits.Header] = hits.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers[PerfCounter.DbRoundtrips.Header] = roundtrips.ToString(CultureInfo.InvariantCulture);
            return Results.Text(body, "application/json");
        }
        finally
        {
            Interlocked.Decrement(ref mine.Count);
        }
    }

    private static CeilingTarget Target(Variant variant) => new(variant, "", _ => new HttpRequestMessage());

    private static CeilingPoint[] Points(params (double Bare, double Cached)[] rounds) =>
    [
        .. rounds.SelectMany((r, i) => new[]
        {
            new CeilingPoint(i + 1, CeilingPoint.Bare, 0, 0, 100, 0, r.Bare, 1, 2, 0),
            new CeilingPoint(i + 1, CeilingPoint.CachedRead, 0, 0, 100, 0, r.Cached, 1, 2, 0),
        }),
    ];

    internal static CeilingResult Result(string telemetry, string started, params (double Bare, double Cached)[] rounds)
    {
        var processes = new[] { ("orders", 1), ("silo", 2), ("silo", 3) }
            .Select(p => new ProcessTelemetry(p.Item1, p.Item2, telemetry, new Dictionary<string, string>()))
            .ToArray();
        return new CeilingResult
        {
            StartedUtc = DateTimeOffset.Parse(started, CultureInfo.InvariantCulture),
            FinishedUtc = DateTimeOffset.Parse(started, CultureInfo.InvariantCulture).AddMinutes(2),
            InFlight = 16,
            Rounds = rounds.Length,
            StepSeconds = 10,
            WarmupSeconds = 5,
            Profile = "loopback",
            BaseUrl = "http://localhost:5180",
            Telemetry = new TelemetryState(telemetry, processes),
            Setup = "products 1..100",
            Machine = ResultSamples.Machine,
            Commit = "abc1234",
            Command = "dotnet run -c Release --project src/LoadLab -- ceiling --in-flight 16 --rounds 3 --step 10s --warmup 5s --profile loopback",
            Points = Points(rounds),
        };
    }
}
