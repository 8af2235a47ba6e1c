using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Processes;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Scenarios;
using PerfReference.LoadLab.Signals;
using PerfReference.Performance;

namespace PerfReference.LoadLab.Runs;

/// <summary>
/// Measures the ceiling: the bare endpoint and the optimized cached read, each held at the same number of requests in
/// flight, closed loop (<see cref="ClosedLoopEngine"/>) — the most each can do — one after the other in rounds, the
/// order swapped every round, so that what the machine does meanwhile (a build, a GC, the dashboard) falls on both.
/// Before the rounds each target is loaded for the warm-up, not recorded (JIT, tiered compilation, connections).
/// </summary>
public sealed class CeilingRunner(LabMetrics? metrics = null)
{
    public const string CeilingTitle = "The bare endpoint against the optimized cached read";

    /// <summary>Whether the services' telemetry is on, read before the load (a test gives its own).</summary>
    public Func<TelemetryState> ReadTelemetry { get; init; } = () => ServiceTelemetry.Read(ServiceProcesses.Find(RepositoryRoot.Find()));

    public async Task<CeilingOutcome> RunAsync(CeilingOptions options, IProgress<CeilingPoint>? progress, CancellationToken ct)
    {
        await using var session = await MeasurementSession.OpenAsync(options.BaseUrl, ct);
        var http = session.Http;
        var telemetry = ReadTelemetry();
        var prepared = await CeilingTargets.PrepareAsync(http, ct);
        var engine = new ClosedLoopEngine(http, metrics);
        long sequence = -1;
        long Next() => Interlocked.Increment(ref sequence);

        foreach (var target in prepared.Targets)
        {
            // Warm-up only: nothing is sent within a measured window of zero length.
            await engine.RunAsync(PerfCatalog.CeilingScenario, target.Variant, options.InFlight, options.Warmup, TimeSpan.Zero, target.CreateRequest, Next, ct);
        }

        // The dashboard watched too: on this machine it receives the telemetry on the cores it measures (the cost of telemetry).
        await session.WatchAsync(ct, watchDashboard: true);
        var started = session.StartedUtc;
        var points = new List<CeilingPoint>(options.Rounds * 2);
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var target in Order(prepared, round))
            {
                var from = Seconds(started);
                var measured = await engine.RunAsync(PerfCatalog.CeilingScenario, target.Variant, options.InFlight, TimeSpan.Zero, options.Step,
                    target.CreateRequest, Next, ct);
                ct.ThrowIfCancellationRequested();
                var figures = VariantFigures.Of(measured.Recorder, measured.Window);
                var point = new CeilingPoint(round, target.Label, from, Seconds(started), figures.Count, figures.Errors, figures.Throughput,
                    figures.P50Ms, figures.P99Ms, figures.MeanOf(PerfCounter.DbRoundtrips));
                points.Add(point);
                progress?.Report(point);
            }
        }

        var header = await session.StopAsync(PerfCatalog.CeilingScenario, CeilingTitle, options.Profile, options.BaseUrl, prepared.Setup, options.Command(), options.Condition);
        var result = new CeilingResult(header)
        {
            InFlight = options.InFlight,
            Rounds = options.Rounds,
            StepSeconds = options.Step.TotalSeconds,
            WarmupSeconds = options.Warmup.TotalSeconds,
            Telemetry = telemetry,
            Points = points,
        };
        return new CeilingOutcome(result, await ResultFiles.Ceilings.In(options.ResultsDirectory).WriteAsync(result, ct));
    }

    /// <summary>Odd rounds start with the bare endpoint, even rounds with the cached read: neither always goes first.</summary>
    public static IReadOnlyList<CeilingTarget> Order(PreparedCeiling prepared, int round) =>
        round % 2 == 1 ? [prepared.Bare, prepared.CachedRead] : [prepared.CachedRead, prepared.Bare];

    private static double Seconds(DateTimeOffset started) => Math.Round((DateTimeOffset.UtcNow - started).TotalSeconds, 1);
}

public sealed record CeilingOutcome(CeilingResult Result, string Path);
