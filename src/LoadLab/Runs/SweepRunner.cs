using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Runs;

/// <summary>
/// Runs a concurrency sweep: each variant on its own (after its reset, when the scenario has one), at
/// each number of requests in flight in turn, closed loop (<see cref="ClosedLoopEngine"/>), with the
/// topology's runtime signals recorded throughout — throughput and P99 as concurrency grows, and the
/// lock contentions behind them.
/// </summary>
public sealed class SweepRunner(LabMetrics? metrics = null)
{
    /// <summary>A pause between one variant's levels and the next variant's: what is still in flight drains, the GC settles.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(5);

    public async Task<SweepOutcome> RunAsync(SweepOptions options, IProgress<SweepPoint>? progress, CancellationToken ct)
    {
        await using var session = await MeasurementSession.OpenAsync(options.BaseUrl, ct);
        var http = session.Http;
        var prepared = await options.Scenario.Setup(http, ct);
        var engine = new ClosedLoopEngine(http, metrics);
        await session.WatchAsync(ct);
        var started = session.StartedUtc;

        long sequence = -1; // request numbers run on across levels and variants: each checkout its own Idempotency-Key
        var points = new List<SweepPoint>();
        foreach (var variant in options.Variants)
        {
            if (points.Count > 0)
            {
                await Task.Delay(Settle, ct);
            }

            if (options.Scenario.BeforeEachVariant is { } reset)
            {
                await reset(http, variant, ct);
            }

            foreach (var level in options.Levels)
            {
                var from = Seconds(started);
                var measured = await engine.RunAsync(options.Scenario.Id, variant, level, options.Warmup, options.Step, prepared.CreateRequest,
                    () => Interlocked.Increment(ref sequence), ct);
                ct.ThrowIfCancellationRequested();
                var figures = VariantFigures.Of(measured.Recorder, measured.Window);
                var point = new SweepPoint(variant.Label, level, from, Seconds(started), figures.Count, figures.Errors, figures.Throughput,
                    figures.P50Ms, figures.P99Ms, figures.MaxMs);
                points.Add(point);
                progress?.Report(point);
            }
        }

        var header = await session.StopAsync(options.Scenario.Id, options.Scenario.Title, options.Profile, options.BaseUrl, prepared.Setup, options.Command());
        var result = new SweepResult(header)
        {
            Levels = options.Levels,
            StepSeconds = options.Step.TotalSeconds,
            WarmupSeconds = options.Warmup.TotalSeconds,
            Points = [.. points.Select(point => point.WithContentions(header.Signals ?? []))],
        };
        return new SweepOutcome(result, await ResultFiles.Sweeps.In(options.ResultsDirectory).WriteAsync(result, ct));
    }

    private static double Seconds(DateTimeOffset started) => Math.Round((DateTimeOffset.UtcNow - started).TotalSeconds, 1);
}

public sealed record SweepOutcome(SweepResult Result, string Path);
