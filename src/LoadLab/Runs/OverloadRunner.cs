using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Runs;

/// <summary>
/// Runs an overload run: one variant, open-loop steps at multiples of its capacity, through the service's admission
/// control (on only when the system was started with it: <see cref="LabAdmission.EnabledSetting"/>). A 503 with Retry-After is
/// counted as shed — the service refusing at once what it cannot serve — apart from what failed; the goodput and the
/// accepted requests' latencies are what the steps past the knee show.
/// </summary>
public sealed class OverloadRunner(LabMetrics? metrics = null)
{
    public async Task<OverloadOutcome> RunAsync(OverloadOptions options, IProgress<OverloadStep>? progress, CancellationToken ct)
    {
        await using var session = await MeasurementSession.OpenAsync(options.BaseUrl, ct);
        var admission = await AdmissionProbe.ReadAsync(session.Http, ct);
        if (admission is { Enabled: false })
        {
            throw new LabInputException(
                "OrdersService's admission control is off, so past its capacity it queues instead of shedding: an overload run measures the shedding. " +
                $"Start the system with {LabAdmission.EnabledEnvironment} in its environment.");
        }

        using var measured = LabClient.Create(options.BaseUrl, options.RequestTimeout);
        var prepared = await options.Scenario.Setup(session.Http, ct);
        var engine = new OpenLoopEngine(measured, metrics);
        await session.WatchAsync(ct);

        var steps = new List<OverloadStep>();
        var sequence = 0L;
        foreach (var factor in options.Factors)
        {
            var plan = new LoadPlan(options.Scenario.Id, options.RateAt(factor), options.Step, steps.Count == 0 ? options.Warmup : TimeSpan.Zero, [options.Variant]);
            var offset = sequence;
            sequence += plan.TotalRequests;
            var from = DateTimeOffset.UtcNow;
            var measurement = await engine.RunAsync(plan, i => prepared.CreateRequest(offset + i), new LiveRun(plan), ct);
            ct.ThrowIfCancellationRequested();

            var figures = VariantFigures.Of(measurement.Recorders[0], measurement.Window);
            var shed = figures.ErrorsByKind.GetValueOrDefault(ErrorKinds.Shed);
            var step = new OverloadStep(factor, plan.Rate, Seconds(session, from), Seconds(session, DateTimeOffset.UtcNow),
                figures.Count, figures.Count - figures.Errors, shed, figures.Errors - shed, figures.Throughput,
                figures.P50Ms, figures.P99Ms, figures.MaxMs, figures.ErrorsByKind);
            steps.Add(step);
            progress?.Report(step);
        }

        var header = await session.StopAsync(options.Scenario.Id, options.Scenario.Title, options.Profile, options.BaseUrl, prepared.Setup, options.Command());
        var result = new OverloadResult(header)
        {
            Variant = options.Variant.Label,
            Header = options.Variant.Header,
            CapacityRate = options.CapacityRate,
            CapacitySource = options.CapacitySource,
            SloP99Ms = options.SloP99Ms,
            Admission = admission?.Describe(),
            StepSeconds = options.Step.TotalSeconds,
            WarmupSeconds = options.Warmup.TotalSeconds,
            Steps = steps,
        };
        return new OverloadOutcome(result, await ResultFiles.Overloads.In(options.ResultsDirectory).WriteAsync(result, ct));
    }

    private static double Seconds(MeasurementSession session, DateTimeOffset at) => Math.Round((at - session.StartedUtc).TotalSeconds, 1);
}

public sealed record OverloadOutcome(OverloadResult Result, string Path);
