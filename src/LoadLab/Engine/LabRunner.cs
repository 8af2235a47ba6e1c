using System.Net;
using HdrHistogram;
using PerfReference.LoadLab.Links;
using PerfReference.LoadLab.Profiling;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Runtime;
using PerfReference.LoadLab.Scenarios;
using PerfReference.LoadLab.Signals;

namespace PerfReference.LoadLab.Engine;

/// <summary>
/// One run from start to file: check the service answers, prepare the scenario's data, send the
/// open-loop load (optionally tracing the service), and write the result file.
/// </summary>
public sealed class LabRunner(LabMetrics? metrics = null)
{
    /// <summary>
    /// The lab's own client: no retries or resilience handlers (a retry would hide an error and
    /// double-count latency), no decompression (so the bytes counted are the bytes on the wire),
    /// no limit on connections (an open-loop run must not queue in the client).
    /// </summary>
    public static HttpClient CreateClient(Uri baseUrl, TimeSpan? timeout = null) => new(new SocketsHttpHandler
    {
        AutomaticDecompression = DecompressionMethods.None,
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        BaseAddress = baseUrl,
        Timeout = timeout ?? TimeSpan.FromSeconds(60),
    };

    public async Task<RunOutcome> RunAsync(RunOptions options, Action<LiveRun>? onStarted, CancellationToken ct)
    {
        using var http = CreateClient(options.BaseUrl);
        var machine = MachineInfo.Current(); // before the load: the load average says what else the machine was doing
        await ProbeAsync(http, options.BaseUrl, ct);
        var prepared = await options.Scenario.Setup(http, ct);
        options = options.WarmingUp(prepared.WorkingSet);

        var plan = options.Plan();
        var live = new LiveRun(plan);
        onStarted?.Invoke(live);

        var store = new ResultStore(options.ResultsDirectory);
        string? traceAdvice = null;
        Measurement measurement;
        // The services' runtime signals (thread pool, GC, memory, CPU, locks) and the links' round trips for the length of the load.
        await using var watch = await TopologyWatch.StartAsync(DateTimeOffset.UtcNow, ct);
        try
        {
            if (options.Trace)
            {
                var tracePath = Path.Combine(store.Directory, options.Scenario.Id, ResultStore.Timestamp(DateTimeOffset.UtcNow) + "-" + ResultStore.ProfileTag(options.Profile, options.ClientProfile) + ".nettrace");
                await using var trace = await ServiceTrace.StartAsync(options.TracePid, tracePath, ct);
                measurement = await MeasureAsync(http, options, plan, prepared, live, ct);
                traceAdvice = trace.Advice();
            }
            else
            {
                measurement = await MeasureAsync(http, options, plan, prepared, live, ct);
            }
        }
        finally
        {
            if (options.Scenario.AfterRun is { } cleanup)
            {
                await cleanup(http, CancellationToken.None);
            }
        }

        var watched = await watch.StopAsync();
        var result = ToResult(options, prepared.Setup, measurement, RepositoryRoot.GitCommit(), machine) with
        {
            Work = prepared.Work,
            Signals = watched.Signals,
            Links = watched.Links,
            Condition = LinkRoundTrip.Mark(options.Condition, watched.Links),
            HeapDumps = measurement.HeapDumps,
            LoadAverageAfter = MachineInfo.ReadLoadAverage(),
        };
        return new RunOutcome(result, await store.WriteAsync(result, ct), traceAdvice);
    }

    /// <summary>
    /// The variants interleaved in one load, or, for a phased scenario, one after another: after each one's reset (a
    /// cold start), with the service's live heap measured before and after each (a soak), or with the service's
    /// runtime sampled during each (process-wide figures).
    /// </summary>
    private async Task<Measurement> MeasureAsync(HttpClient http, RunOptions options, LoadPlan plan, PreparedScenario prepared, LiveRun live, CancellationToken ct)
    {
        var scenario = options.Scenario;
        var engine = new OpenLoopEngine(http, metrics);
        if (!scenario.IsPhased)
        {
            var load = await engine.RunAsync(plan, prepared.CreateRequest, live, ct);
            return options.HeapDumps ? load with { HeapDumps = [await HeapDumpAsync(options, load.StartedUtc, "all", ct)] } : load;
        }

        var phases = new List<(Measurement Load, double? HeapBefore, double? HeapAfter)>(plan.Variants.Count);
        var runtimes = new List<ServiceRuntime?>(plan.Variants.Count);
        var dumps = new List<HeapDumpSummary>();
        foreach (var variant in plan.Variants)
        {
            if (scenario.BeforeEachVariant is { } reset)
            {
                await reset(http, variant, ct);
            }

            double? before = scenario.LiveHeap is { } probe ? await probe(http, ct) : null;
            var (load, runtime) = await RunPhaseAsync(engine, http, scenario, plan with { Variants = [variant] }, prepared, live, ct);
            double? after = scenario.LiveHeap is { } again ? await again(http, ct) : null;
            if (options.HeapDumps)
            {
                dumps.Add(await HeapDumpAsync(options, phases.Count > 0 ? phases[0].Load.StartedUtc : load.StartedUtc, variant.Label, ct));
            }

            phases.Add((load, before, after));
            runtimes.Add(runtime);
        }

        var started = phases[0].Load.StartedUtc;
        return new Measurement(started, phases[^1].Load.FinishedUtc, phases.Max(phase => phase.Load.Window), live.Recorders)
        {
            Runtimes = scenario.SamplesRuntime ? runtimes : null,
            Phases = [.. plan.Variants.Zip(phases, (variant, phase) => new PhaseWindow(variant.Label,
                Math.Round((phase.Load.StartedUtc - started).TotalSeconds, 1), Math.Round((phase.Load.FinishedUtc - started).TotalSeconds, 1))
            {
                LiveHeapMBBefore = phase.HeapBefore,
                LiveHeapMBAfter = phase.HeapAfter,
            })],
            HeapDumps = options.HeapDumps ? dumps : null,
        };
    }

    /// <summary>One variant's phase; with the service's runtime sampled during it when the scenario asks for process-wide figures.</summary>
    private static async Task<(Measurement Load, ServiceRuntime? Runtime)> RunPhaseAsync(
        OpenLoopEngine engine, HttpClient http, Scenario scenario, LoadPlan phase, PreparedScenario prepared, LiveRun live, CancellationToken ct)
    {
        if (!scenario.SamplesRuntime)
        {
            return (await engine.RunAsync(phase, prepared.CreateRequest, live, ct), null);
        }

        await using var sampler = await RuntimeSampler.StartAsync(http, ct);
        var load = await engine.RunAsync(phase, prepared.CreateRequest, live, ct, sampler.MeasuredRequestsBegin);
        return (load, await sampler.StopAsync(live.RecorderOf(phase.Variants[0]).Requests, ct));
    }

    /// <summary>A heap dump of this checkout's OrdersService, beside the run's result file.</summary>
    private static Task<HeapDumpSummary> HeapDumpAsync(RunOptions options, DateTimeOffset runStarted, string variant, CancellationToken ct)
    {
        var orders = ServiceProcesses.Find(RepositoryRoot.Find()).Where(p => p.Service == "orders").ToArray() is [var only]
            ? only.ProcessId
            : throw new LabInputException("--gcdump needs exactly one OrdersService process of this checkout on this machine.");
        var path = Path.Combine(options.ResultsDirectory, options.Scenario.Id, $"{ResultStore.Timestamp(runStarted)}-{ResultStore.ProfileTag(options.Profile, options.ClientProfile)}-{variant}.gcdump");
        return HeapDump.CollectAsync(variant, orders, path, ct);
    }

    public static RunResult ToResult(RunOptions options, string setup, Measurement measurement, string commit, MachineInfo? machine = null) => new(
        options.Scenario.Id,
        options.Scenario.Title,
        measurement.StartedUtc,
        measurement.FinishedUtc,
        options.Rate,
        options.Duration.TotalSeconds,
        options.Warmup.TotalSeconds,
        options.Profile,
        options.BaseUrl.ToString().TrimEnd('/'),
        setup,
        machine ?? MachineInfo.Current(),
        commit,
        options.Command(),
        measurement.Recorders.Select((r, i) => ToResult(r, measurement.Window) with { Runtime = measurement.Runtimes?[i] }).ToArray(),
        Phases: measurement.Phases)
    {
        Condition = options.Condition,
        ClientProfile = options.ClientProfile,
        VariantsInTurn = options.Scenario.SamplesRuntime,
    };

    public static VariantResult ToResult(VariantRecorder recorder, TimeSpan window)
    {
        var latency = recorder.LatencySnapshot();
        var totals = recorder.Totals();
        double Ms(double percentile) => latency.TotalCount == 0 ? 0 : latency.GetValueAtPercentile(percentile) / 1000.0;

        return new VariantResult(
            recorder.Variant.Label,
            recorder.Variant.Header,
            totals.Requests,
            totals.ErrorsByKind.Values.Sum(),
            totals.ErrorsByKind,
            Math.Round(latency.TotalCount / window.TotalSeconds, 3),
            Ms(50), Ms(90), Ms(95), Ms(99), Ms(99.9),
            latency.TotalCount == 0 ? 0 : latency.GetMaxValue() / 1000.0,
            latency.TotalCount == 0 ? 0 : Math.Round(latency.GetMean() / 1000.0, 3),
            Round(totals.MeanDbRoundtrips), Round(totals.MeanGrainCalls), Round(totals.MeanPaymentCalls),
            Math.Round(totals.MeanBytes, 1),
            HistogramCodec.Encode(latency),
            Round(totals.MeanTimes.ServerMs), Round(totals.MeanTimes.DbMs), Round(totals.MeanTimes.GrainMs), Round(totals.MeanTimes.PaymentMs))
        {
            MeanDbConnectionOpens = Round(totals.MeanDbConnectionOpens),
            MeanDbConnectMs = Round(totals.MeanDbConnectMs),
            DbP99Ms = Round(totals.DbP99Ms),
            ServerP99Ms = Round(totals.ServerP99Ms),
            SendLatenessP99Ms = Round(totals.SendLatenessP99Ms),
            SendLatenessMaxMs = Round(totals.SendLatenessMaxMs),
            DbPlan = totals.DbPlan,
        };
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;

    /// <summary>Any answer will do (even 503): what matters is that something listens at the base URL.</summary>
    public static async Task ProbeAsync(HttpClient http, Uri baseUrl, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var response = await http.GetAsync("alive", timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new LabInputException($"Cannot reach {baseUrl} ({ex.Message}); start the system first (bash scripts/run.sh) or give --base-url.");
        }
    }
}

public sealed record RunOutcome(RunResult Result, string Path, string? TraceAdvice);
