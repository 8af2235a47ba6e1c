using Spectre.Console;
using Spectre.Console.Cli;

namespace PerfReference.LoadLab.Cli;

/// <summary>The command line: run, capacity, overload, sweep, ceiling, proxy-cost, drill, list, log, serve. Input the lab cannot use ends with one line and exit code 2.</summary>
public static class LabApp
{
    public static Task<int> RunAsync(string[] args, IAnsiConsole? console = null, CancellationToken ct = default)
    {
        var output = console ?? AnsiConsole.Console;
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("dotnet run --project src/LoadLab --");
            config.ConfigureConsole(output);
            config.AddCommand<RunCommand>("run")
                .WithDescription("Send open-loop load to one scenario, naive and optimized interleaved, and write a result file.")
                .WithExample("run", "n-plus-one-db", "--rate", "4", "--duration", "75s", "--profile", "seed");
            config.AddCommand<CapacityCommand>("capacity")
                .WithDescription("Climb the open-loop rate step by step until each variant's P99 breaks the service level (or its errors pass 1 %), and write a result file.")
                .WithExample("capacity", "seed-checkout", "--slo", "500ms", "--profile", "seed");
            config.AddCommand<OverloadCommand>("overload")
                .WithDescription("Offer one variant open-loop load at multiples of its capacity through the service's admission control, count 503 with Retry-After as shed, and write each step's goodput and the accepted requests' P99 to a result file.")
                .WithExample("overload", "seed-checkout", "--factors", "0.5,1,1.5,2", "--profile", "seed");
            config.AddCommand<SweepCommand>("sweep")
                .WithDescription("Hold 1, 10, 50, 200 requests in flight (closed loop), each variant on its own, and write each level's throughput, P99 and lock contentions to a result file.")
                .WithExample("sweep", "lock-contention", "--in-flight", "1,10,50,200", "--step", "20s");
            config.AddCommand<CeilingCommand>("ceiling")
                .WithDescription("Hold the same number of requests in flight (closed loop) on the bare endpoint and on an optimized cached read, in alternating rounds, and write each one's requests/s, their ratio and whether the services' telemetry was on to a result file.")
                .WithExample("ceiling", "--in-flight", "16", "--rounds", "5", "--step", "10s");
            config.AddCommand<ProxyCostCommand>("proxy-cost")
                .WithDescription("Measure the latency proxy itself: the lab's own traffic through a set of links, hosted in one process and in one each in alternating rounds, each link probed beside it; write the probes' round trips and the proxies' CPU per forwarded MB to a result file.")
                .WithExample("proxy-cost", "--profile", "seed", "--rate", "100", "--rounds", "3");
            config.AddCommand<DrillCommand>("drill")
                .WithDescription("Run a fault drill under load, check the books, and write a result file (docs/reliability.md is built by log).")
                .WithExample("drill", "redis-restart", "--rate", "8", "--duration", "75s");
            config.AddCommand<ListCommand>("list").WithDescription("The catalog, the scenarios and the drills.");
            config.AddCommand<LogCommand>("log").WithDescription("Build docs/optimizations.md, docs/reliability.md and docs/scaling.md from the result files and docs/log/.");
            config.AddCommand<ServeCommand>("serve").WithDescription("Run as a service (POST /runs, GET /runs/current) for the AppHost's dashboard commands.");
            config.SetExceptionHandler((exception, _) => Fail(output, exception));
        });
        return app.RunAsync(args, ct);
    }

    private static int Fail(IAnsiConsole console, Exception exception)
    {
        var bad = exception is LabInputException or CommandAppException;
        console.MarkupLineInterpolated($"[red]error:[/] {exception.Message}");
        if (!bad)
        {
            console.WriteException(exception, ExceptionFormats.ShortenEverything);
        }

        return bad ? LabInputException.ExitCode : 1;
    }
}
