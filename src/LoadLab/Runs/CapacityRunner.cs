using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Scenarios;

namespace PerfReference.LoadLab.Runs;

/// <summary>
/// Runs a capacity search: open-loop steps of a climbing rate (<see cref="CapacityPlan"/>) until the
/// variant under test breaks the service level, each variant on its own (phased) or all together
/// (interleaved), with the topology's runtime signals recorded throughout. Every step is the
/// lab's ordinary open-loop load, so latencies count from each request's intended send time.
/// </summary>
public sealed class CapacityRunner(LabMetrics? metrics = null)
{
    /// <summary>A pause between one variant's climb and the next: the backlog of a broken step drains, the GC settles.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(5);

    public async Task<CapacityOutcome> RunAsync(CapacityOptions options, IProgress<CapacityStep>? progress, CancellationToken ct)
    {
        await using var session = await MeasurementSession.OpenAsync(options.BaseUrl, ct);
        var http = session.Http;
        // Setup and resets take the lab's ordinary timeout; measured requests the search's shorter one.
        using var measured = LabClient.Create(options.BaseUrl, options.RequestTimeout);
        var prepared = await options.Scenario.Setup(http, ct);
        var engine = new OpenLoopEngine(measured, metrics);
        await session.WatchAsync(ct);

        var climb = new Climb(engine, options, prepared.CreateRequest, session.StartedUtc, progress);
        var capacities = new List<VariantCapacity>();
        double? validBelow = null;
        if (options.Mode == CapacityMode.Phased)
        {
            foreach (var variant in options.Variants)
            {
                if (capacities.Count > 0)
                {
                    await Task.Delay(Settle, ct);
                }

                if (options.Scenario.BeforeEachVariant is { } reset)
                {
                    await reset(http, variant, ct);
                }

                await climb.RunAsync([variant], ct);
                capacities.Add(Capacity(variant, climb.Steps));
            }
        }
        else
        {
            await climb.RunAsync(options.Variants, ct);
            capacities.AddRange(options.Variants.Select(variant => Capacity(variant, climb.Steps)));
            // The first rate at which a variant's break was confirmed (the climb ends there).
            validBelow = capacities.Where(c => c.Bounded).Select(c => c.BrokeAtRate).Min();
        }

        var header = await session.StopAsync(options.Scenario.Id, options.Scenario.Title, options.Profile, options.BaseUrl, prepared.Setup, options.Command());
        if (options.Mode == CapacityMode.Phased)
        {
            capacities = [.. capacities.Select(capacity => capacity with { AtCapacity = CostAtCapacity(capacity, climb.Steps, header.Signals ?? []) })];
        }

        var result = new CapacityResult(header)
        {
            Mode = options.ModeName,
            SloP99Ms = options.Plan.SloP99Ms,
            MaxErrorPercent = options.Plan.MaxErrorPercent,
            StartRate = options.Plan.StartRate,
            Factor = options.Plan.Factor,
            StepSeconds = options.Plan.Step.TotalSeconds,
            MaxRate = options.Plan.MaxRate,
            Variants = capacities,
            Steps = climb.Steps,
            InterleavingValidBelow = validBelow,
        };
        return new CapacityOutcome(result, await ResultFiles.Capacity.In(options.ResultsDirectory).WriteAsync(result, ct));
    }

    /// <summary>What each service spent during the variant's highest held step (none when it held no step).</summary>
    private static IReadOnlyList<ServiceCost>? CostAtCapacity(VariantCapacity capacity, IEnumerable<CapacityStep> steps, IReadOnlyList<ProcessSignals> signals) =>
        steps.LastOrDefault(step => step.Variant == capacity.Label && step.Held && step.Rate == capacity.SustainedRate) is { } step
            ? ServiceCost.During(step, signals)
            : null;

    private static VariantCapacity Capacity(Variant variant, IEnumerable<CapacityStep> steps)
    {
        var own = steps.Where(step => step.Variant == variant.Label).ToArray();
        var verdicts = own.Select(step => (step.Rate, step.Held)).ToArray();
        var sustained = CapacityPlan.Sustained(verdicts, out var bounded);
        var broke = bounded ? own.Where((_, i) => !own[i].Held && !CapacityPlan.IsUnconfirmedBreak(verdicts, i)).FirstOrDefault() : null;
        return new VariantCapacity(variant.Label, variant.Header, sustained, bounded, broke?.Rate, broke?.Reason);
    }

    /// <summary>The steps of a search, one climb per call; request numbers run on across steps (each checkout its own Idempotency-Key).</summary>
    private sealed class Climb(OpenLoopEngine engine, CapacityOptions options, RequestFactory createRequest, DateTimeOffset started, IProgress<CapacityStep>? progress)
    {
        private long _sequence;

        public List<CapacityStep> Steps { get; } = [];

        /// <summary>
        /// Climbs until a variant breaks (or the rates run out): the first step starts with the warm-up;
        /// a broken step is run once more at the same rate, and only a second break ends the climb.
        /// </summary>
        public async Task RunAsync(IReadOnlyList<Variant> variants, CancellationToken ct)
        {
            var first = true;
            foreach (var rate in options.Plan.Rates())
            {
                var broke = await StepAsync(variants, rate, first ? options.Warmup : TimeSpan.Zero, ct);
                first = false;
                if (broke && await StepAsync(variants, rate, TimeSpan.Zero, ct))
                {
                    return;
                }
            }
        }

        /// <summary>One step at one rate; true when a variant broke the service level.</summary>
        private async Task<bool> StepAsync(IReadOnlyList<Variant> variants, double rate, TimeSpan warmup, CancellationToken ct)
        {
            var plan = new LoadPlan(options.Scenario.Id, rate * variants.Count, options.Plan.Step, warmup, variants);
            var offset = _sequence;
            _sequence += plan.TotalRequests;
            var from = DateTimeOffset.UtcNow;
            var measurement = await engine.RunAsync(plan, i => createRequest(offset + i), new LiveRun(plan), ct);
            ct.ThrowIfCancellationRequested();

            var broke = false;
            foreach (var recorder in measurement.Recorders)
            {
                var figures = VariantFigures.Of(recorder, measurement.Window);
                var verdict = options.Plan.Judge(figures.Count, figures.Errors, figures.P99Ms);
                var step = new CapacityStep(recorder.Variant.Label, rate, Seconds(from), Seconds(DateTimeOffset.UtcNow),
                    figures.Count, figures.Errors, figures.Throughput, figures.P50Ms, figures.P99Ms, figures.MaxMs, verdict.IsHeld, verdict.Reason)
                {
                    Slowest = figures.Slowest,
                };
                Steps.Add(step);
                progress?.Report(step);
                broke |= !verdict.IsHeld;
            }

            return broke;
        }

        private double Seconds(DateTimeOffset at) => Math.Round((at - started).TotalSeconds, 1);
    }
}

public sealed record CapacityOutcome(CapacityResult Result, string Path);
