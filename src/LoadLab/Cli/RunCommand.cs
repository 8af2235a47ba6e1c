using System.ComponentModel;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Runs;
using PerfReference.LoadLab.Traces;
using PerfReference.Performance;
using PerfReference.Topology;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PerfReference.LoadLab.Cli;

public sealed class RunSettings : TargetSettings
{
    [CommandOption("--rate <RPS>")]
    [Description("Arrivals per second, all variants together (open loop). Default: the scenario's own (see list).")]
    public double? Rate { get; set; }

    [CommandOption("--duration <DURATION>")]
    [Description("How long to measure: 500ms, 30s, 2m. Default: the scenario's own (see list).")]
    public string? Duration { get; set; }

    [CommandOption("--warmup <DURATION>")]
    [Description("Load sent first and not recorded (JIT, pools, caches). Default: the scenario's own (see list).")]
    public string? Warmup { get; set; }

    [CommandOption("--journey")]
    [Description("seed-checkout only: one variant per cumulative fix, in the seed's order (a staircase).")]
    public bool Journey { get; set; }

    [CommandOption("--condition <NOTE>")]
    [Description("What is different about this run, recorded with it and kept apart in the log: 'index dropped', 'through PgBouncer'.")]
    public string? Condition { get; set; }

    [CommandOption("--client-profile <PROFILE>")]
    [Description("The profile of the client's link, orders-link (AppHost parameter client-network-profile), e.g. mobile. Default: read from orders-link's " +
                 "process on this machine, else the same as --profile; when given, it must agree with what orders-link runs. Recorded beside --profile.")]
    public string? ClientProfile { get; set; }

    [CommandOption("--trace")]
    [Description("Record an EventPipe CPU trace of OrdersService during the run (results/<scenario>/<time>.nettrace).")]
    public bool Trace { get; set; }

    [CommandOption("--gcdump")]
    [Description("Take a heap dump of OrdersService with dotnet-gcdump after each phase (a phased scenario) or at the end; its largest types go into the result.")]
    public bool HeapDumps { get; set; }

    [CommandOption("--trace-pid <PID>")]
    [Description("The process to trace, when it cannot be found by name.")]
    public int? TracePid { get; set; }
}

/// <summary>One run with live progress and a summary table; the result file is written at the end.</summary>
public sealed class RunCommand(IAnsiConsole console) : AsyncCommand<RunSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RunSettings settings, CancellationToken ct)
    {
        // The client's link as this machine runs it: at the given address, else at orders-link's port (there whenever the
        // system or the client has a profile).
        var clientLink = settings.ReadClientLink(OrdersApiAddress.ThroughClientLink);
        var options = RunOptions.Create(
            settings.Scenario, settings.Rate, settings.Duration, settings.Warmup, settings.Profile, settings.BaseUrl,
            RepositoryRoot.Results(settings.Results), settings.Journey, settings.Trace || settings.TracePid is not null, settings.TracePid, settings.Condition,
            settings.ClientProfile, clientLink)
            with { HeapDumps = settings.HeapDumps };

        console.MarkupLineInterpolated($"[bold]{options.Scenario.Id}[/] — {options.Scenario.Title}: {options.Scenario.Request}");
        var clientSource = clientLink is { } link ? $"read from orders-link, process {link.ProcessId}"
            : settings.ClientProfile is not null ? "as given" : "as --profile: no client link found on this machine";
        console.MarkupLineInterpolated($"profile [bold]{options.Profile}[/] (as given: the lab cannot see it), client link [bold]{options.ClientProfile}[/] ({clientSource}), {Figures.Rate(options.Rate)} rps, {Durations.Format(options.Warmup)} warm-up + {Durations.Format(options.Duration)}, against {options.BaseUrl}");

        using var telemetry = LabTelemetry.StartExporter();
        using var metrics = new LabMetrics();
        LiveRun? live = null;
        var run = new LabRunner(metrics, DashboardAccess.Find()).RunAsync(options, started => live = started, ct);

        if (console.Profile.Capabilities.Interactive)
        {
            await console.Live(new Markup("checking the service and preparing the scenario…")).StartAsync(async display =>
            {
                var started = DateTime.UtcNow;
                while (!run.IsCompleted)
                {
                    if (live is not null)
                    {
                        display.UpdateTarget(LiveTable(live, DateTime.UtcNow - started));
                    }

                    await Task.WhenAny(run, Task.Delay(500, CancellationToken.None));
                }
            });
        }
        else
        {
            // Not a terminal (a log file, CI, a pipe): a plain line now and then instead of a table redrawn twice a second.
            await PlainProgress.WriteAsync(console, run, () => live is { } current ? ProgressLine(current) : null);
        }

        var outcome = await run;
        console.Write(SummaryTable(outcome.Result));
        foreach (var variant in outcome.Result.Variants.Where(v => v.Errors > 0))
        {
            console.MarkupLineInterpolated($"[yellow]{variant.Label} errors:[/] {string.Join(", ", variant.ErrorsByKind.Select(e => $"{e.Key} × {e.Value}"))}");
        }

        console.MarkupLineInterpolated($"Setup: {outcome.Result.Setup}");
        LinkLines.Write(console, outcome.Result.Links);
        if (outcome.Result.Companion is { } companion)
        {
            var figures = companion.Figures;
            console.MarkupLine(Markup.Escape($"Companion load (in neither variant): {companion.Request} at {Figures.Rate(companion.Rate)} rps, {Figures.Count(figures.Count)} sent, " +
                                             $"{Figures.Count(figures.Errors)} errors, p50 {Figures.Ms(figures.P50Ms)} ms, p99 {Figures.Ms(figures.P99Ms)} ms"));
        }

        console.MarkupLineInterpolated($"Result: [bold]{outcome.Path}[/]  (regenerate the log: dotnet run --project src/LoadLab -- log)");
        console.MarkupLineInterpolated($"{outcome.Traces.Summary}");
        if (outcome.TraceAdvice is not null)
        {
            console.WriteLine(outcome.TraceAdvice);
        }

        return 0;
    }

    /// <summary>"n-plus-one-db: 120 sent, 2 in flight; naive 60 recorded, 0 errors, p99 14.1 ms; optimized …".</summary>
    private static string ProgressLine(LiveRun live)
    {
        var variants = live.Recorders.Select(recorder =>
        {
            var latency = recorder.LatencySnapshot();
            var p99 = latency.TotalCount == 0 ? "–" : Figures.Ms(latency.GetValueAtPercentile(99) / 1000.0);
            return $"{recorder.Variant.Label} {Figures.Count(recorder.Requests)} recorded, {Figures.Count(recorder.Errors)} errors, p99 {p99} ms";
        });
        return $"{live.Plan.Scenario}: {Figures.Count(live.Sent)} sent, {Figures.Count(live.InFlight)} in flight; {string.Join("; ", variants)}";
    }

    private static Table LiveTable(LiveRun live, TimeSpan elapsed)
    {
        var table = new Table().Title($"{live.Plan.Scenario}: {elapsed.TotalSeconds:F0} s of {live.Plan.PlannedLength.TotalSeconds:F0} s, " +
                                      $"{live.Sent} sent, {live.InFlight} in flight")
            .AddColumns("variant", "recorded", "errors", "p50 ms", "p99 ms", "max ms");
        foreach (var recorder in live.Recorders)
        {
            var latency = recorder.LatencySnapshot();
            string Ms(double percentile) => latency.TotalCount == 0 ? "–" : Figures.Ms(latency.GetValueAtPercentile(percentile) / 1000.0);
            table.AddRow(recorder.Variant.Label, Figures.Count(recorder.Requests), Figures.Count(recorder.Errors), Ms(50), Ms(99), Ms(100));
        }

        return table;
    }

    /// <summary>One column per variant, one row per figure: fits a terminal with up to six variants.</summary>
    private static Table SummaryTable(RunResult result)
    {
        var table = new Table()
            .Title($"{result.Scenario} — {Figures.Network(result)}, {Figures.Rate(result.Rate)} rps, {Figures.Rate(result.DurationSeconds)} s, {result.Machine.Cores} cores, commit {result.Commit}")
            .AddColumn("");
        foreach (var variant in result.Variants)
        {
            table.AddColumn(new TableColumn(Markup.Escape(variant.Label)).RightAligned());
        }

        var first = result.Variants[0];
        void Row(string name, Func<VariantResult, string> figure) => table.AddRow([name, .. result.Variants.Select(figure)]);
        Row("requests", v => Figures.Count(v.Count));
        Row("errors", v => Figures.Count(v.Errors));
        Row("req/s", v => Figures.Rate(v.Throughput));
        Row("p50 ms", v => Figures.Ms(v.P50Ms));
        Row("p90 ms", v => Figures.Ms(v.P90Ms));
        Row("p95 ms", v => Figures.Ms(v.P95Ms));
        Row("p99 ms", v => Figures.Ms(v.P99Ms));
        Row("p99.9 ms", v => Figures.Ms(v.P999Ms));
        Row("max ms", v => Figures.Ms(v.MaxMs));
        Row("mean ms", v => Figures.Ms(v.MeanMs));
        Row("DB round trips", v => Figures.Mean(v.MeanOf(PerfCounter.DbRoundtrips)));
        Row("grain calls", v => Figures.Mean(v.MeanOf(PerfCounter.GrainCalls)));
        Row("payment calls", v => Figures.Mean(v.MeanOf(PerfCounter.PaymentCalls)));
        Row("bytes", v => Figures.Bytes(v.MeanBytes));
        if (result.Variants.Any(v => v.DbPlan is not null))
        {
            Row("plan", v => Markup.Escape(v.DbPlan ?? "–"));
            Row("query p99 ms", v => v.DbP99Ms is { } ms ? Figures.Ms(ms) : "–");
        }

        if (result.Variants.Any(v => v.MeanOf(PerfCounter.DbConnectionOpens) > 0))
        {
            Row("connection opens", v => Figures.Mean(v.MeanOf(PerfCounter.DbConnectionOpens)));
            Row("time to open ms", v => Figures.Mean(v.MeanDbConnectMs));
            Row("query p99 ms (opening incl.)", v => v.DbP99Ms is { } ms ? Figures.Ms(ms) : "–");
        }

        if (result.Work is { } work)
        {
            Row($"{work.Unit}/s", v => Figures.Rate(Figures.WorkRate(work.Amount, v.MeanMs)));
        }

        if (result.Variants.Any(v => v.Runtime is not null))
        {
            Row("allocated/request", v => v.Runtime is { } r ? Figures.Bytes(r.AllocatedBytesPerRequest) : "–");
            Row("working set MiB", v => v.Runtime is { } r ? $"{Figures.Svg(r.WorkingSetStartMiB)} → {Figures.Svg(r.WorkingSetPeakMiB)}" : "–");
            Row("service CPU ms/request", v => Figures.Mean(v.Runtime?.CpuMsPerRequest));
            Row("PostgreSQL CPU ms/request", v => Figures.Mean(v.Runtime?.DatabaseCpuMsPerRequest));
            Row("server sessions/request", v => Figures.Mean(v.Runtime?.DatabaseSessionsPerRequest));
        }
        // Where the time goes, from the service's Server-Timing (means per request).
        Row("in the service ms", v => Figures.Mean(v.MeanServerMs));
        Row("  PostgreSQL ms", v => Figures.Mean(v.MeanDbMs));
        Row("  grains ms", v => Figures.Mean(v.MeanGrainMs));
        Row("  payment provider ms", v => Figures.Mean(v.MeanPaymentMs));
        Row("p50 first ÷ this", v => Figures.Ratio(first.P50Ms, v.P50Ms));
        Row("p99 first ÷ this", v => Figures.Ratio(first.P99Ms, v.P99Ms));
        return table.Caption("latencies from each request's intended send time (open loop); means per request");
    }
}
