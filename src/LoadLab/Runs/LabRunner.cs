using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Processes;
using PerfReference.LoadLab.Profiling;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Runtime;
using PerfReference.LoadLab.Scenarios;
using PerfReference.LoadLab.Traces;

namespace PerfReference.LoadLab.Runs;

/// <summary>
/// One run from start to file: check the service answers, prepare the scenario's data, send the
/// open-loop load (optionally tracing the service), and write the result file.
/// </summary>
public sealed class LabRunner(LabMetrics? metrics = null, DashboardAccess? dashboard = null)
{
    private readonly TraceKeeper _traces = new(dashboard);

    public async Task<RunOutcome> RunAsync(RunOptions options, Action<LiveRun>? onStarted, CancellationToken ct)
    {
        await using var session = await MeasurementSession.OpenAsync(options.BaseUrl, ct);
        var http = session.Http;
        var prepared = await options.Scenario.Setup(http, ct);
        options = options.WarmingUp(prepared.WorkingSet);

        var plan = options.Plan();
        var live = new LiveRun(plan);
        onStarted?.Invoke(live);

        string? traceAdvice = null;
        Measurement measurement;
        // The services' runtime signals (thread pool, GC, memory, CPU, locks) and the links' round trips for the length of the load.
        await session.WatchAsync(ct);
        try
        {
            if (options.Trace)
            {
                var tracePath = options.FileBeside(DateTimeOffset.UtcNow, ".nettrace");
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

        var header = await session.StopAsync(options.Scenario.Id, options.Scenario.Title, options.Profile, options.BaseUrl, prepared.Setup, options.Command(), options.Condition);
        var result = new RunResult(header)
        {
            StartedUtc = measurement.StartedUtc,
            FinishedUtc = measurement.FinishedUtc,
            Rate = options.Rate,
            DurationSeconds = options.Duration.TotalSeconds,
            WarmupSeconds = options.Warmup.TotalSeconds,
            Variants = [.. measurement.Recorders.Select((r, i) => VariantFigures.Of(r, measurement.Window) with { Runtime = measurement.Runtimes?[i] })],
            Phases = measurement.Phases,
            HeapDumps = measurement.HeapDumps,
            Companion = measurement.Companion,
            ClientProfile = options.ClientProfile,
            VariantsInTurn = options.Scenario.SamplesRuntime,
            Work = prepared.Work,
        };
        var path = await ResultFiles.Runs.In(options.ResultsDirectory).WriteAsync(result, ct);
        // The request nearest each variant's p50 and P99, read back from the dashboard while the system runs.
        var traces = await _traces.KeepAsync(result, measurement.Recorders, path, ct, measurement.PhaseTraces);
        return new RunOutcome(result, path, traceAdvice, traces);
    }

    /// <summary>The variants' load, with the scenario's companion load beside it from its start to its end when it has one.</summary>
    private async Task<Measurement> MeasureAsync(HttpClient http, RunOptions options, LoadPlan plan, PreparedScenario prepared, LiveRun live, CancellationToken ct)
    {
        if (prepared.Companion is not { } requests)
        {
            return await MeasureVariantsAsync(http, options, plan, prepared, live, ct);
        }

        var companion = CompanionLoad.Start(http, requests, options.Rate * options.Scenario.Facts.CompanionRatio, plan.MaxInFlight, ct);
        Measurement measured;
        try
        {
            measured = await MeasureVariantsAsync(http, options, plan, prepared, live, ct);
        }
        catch
        {
            await companion.StopAsync();
            throw;
        }

        return measured with { Companion = await companion.StopAsync() };
    }

    /// <summary>
    /// The variants interleaved in one load, or, for a phased scenario, one after another: after each one's reset (a
    /// cold start), with the service's live heap measured before and after each (a soak), or with the service's
    /// runtime sampled during each (process-wide figures).
    /// </summary>
    private async Task<Measurement> MeasureVariantsAsync(HttpClient http, RunOptions options, LoadPlan plan, PreparedScenario prepared, LiveRun live, CancellationToken ct)
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
        var traces = new List<VariantTraces>();
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

            if (await _traces.KeepPhaseAsync(live.RecorderOf(variant), load.Window, ct) is { } kept)
            {
                traces.Add(kept);
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
            PhaseTraces = traces,
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
        var orders = ServiceProcesses.Find(RepositoryRoot.Find()).Where(p => p.Service == TopologyServices.Orders).ToArray() is [var only]
            ? only.ProcessId
            : throw new LabInputException("--gcdump needs exactly one OrdersService process of this checkout on this machine.");
        var path = options.FileBeside(runStarted, $"-{variant}.gcdump");
        return HeapDump.CollectAsync(variant, orders, path, ct);
    }
}

/// <param name="Traces">The run's representative traces from the dashboard (beside the result), or why there are none.</param>
public sealed record RunOutcome(RunResult Result, string Path, string? TraceAdvice, KeptTraces Traces);
