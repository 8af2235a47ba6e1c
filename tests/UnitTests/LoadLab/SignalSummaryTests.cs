using PerfReference.LoadLab.Processes;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>What the log says of a run's runtime signals: peaks, totals, and the slope that tells a leak from a cache filling up.</summary>
public sealed class SignalSummaryTests
{
    private static MeterSample At(double seconds, double workingSetMB, double queue = 0, double threads = 4, double gen2 = 0, double contentions = 0) =>
        new(seconds, CpuCores: 0.5, workingSetMB, GcHeapMB: workingSetMB / 2, AllocatedMB: 10, gen2, GcPauseMs: 1.5, threads, queue, contentions);

    [Fact]
    public void GaugesArePeaksAndCountersAreTotalsOverTheWindow()
    {
        var process = new ProcessSignals("orders", 42, [At(1, 100, queue: 0, threads: 4), At(2, 110, queue: 250, threads: 9, gen2: 1, contentions: 7), At(3, 120, queue: 3, threads: 12, gen2: 1)]);

        var summary = SignalSummary.Of(process)!;

        Assert.Equal((4, 12, 250), (summary.ThreadsAtStart, summary.PeakThreads, summary.PeakQueue));
        Assert.Equal((2, 7), (summary.Gen2Collections, summary.LockContentions));
        Assert.Equal(4.5, summary.GcPauseMs);
        Assert.Equal(120, summary.PeakWorkingSetMB);
    }

    [Fact]
    public void SteadyGrowthIsItsSlopeInMegabytesPerMinute()
    {
        var growing = Enumerable.Range(0, 60).Select(s => At(s, 200 + s * 0.5)).ToArray(); // +0.5 MB a second

        Assert.Equal(30, SignalSummary.Slope(growing, s => s.WorkingSetMB));
        Assert.Equal(15, SignalSummary.Slope(growing, s => s.GcHeapMB));
        Assert.Equal(0, SignalSummary.Slope([At(5, 1), At(5, 9)], s => s.WorkingSetMB)); // no time between them: no slope
    }

    [Fact]
    public void AWindowTakesOnlyItsOwnSamples()
    {
        var process = new ProcessSignals("silo", 7, [At(1, 100, queue: 900), At(10, 100, queue: 2), At(11, 100, queue: 5)]);

        Assert.Equal(5, SignalSummary.Of(process, 9.5, 12)!.PeakQueue);
        Assert.Null(SignalSummary.Of(process, 20, 30));
    }

    [Fact]
    public void ASoakPhasesGrowthIsWhatItLeftReachablePerMinute()
    {
        var phase = new PerfReference.LoadLab.Results.PhaseWindow("naive", 0, 90) { LiveHeapMBBefore = 40, LiveHeapMBAfter = 130 };

        Assert.Equal(60, phase.LiveHeapGrowthMBPerMinute);
        Assert.Null((phase with { LiveHeapMBAfter = null }).LiveHeapGrowthMBPerMinute);
    }

    [Theory]
    [InlineData("/work/wt/src/OrdersService/bin/Release/net10.0/PerfReference.OrdersService", null, "orders")]
    [InlineData("dotnet", "/work/wt/src/CustomerGrains/bin/Debug/net10.0/PerfReference.CustomerGrains.dll", "silo")]
    [InlineData("/work/wt/src/PaymentsGateway/bin/Debug/net10.0/PerfReference.PaymentsGateway", "--urls", "payments")]
    [InlineData("/work/other/src/OrdersService/bin/Debug/net10.0/PerfReference.OrdersService", null, null)] // another checkout's
    [InlineData("dotnet", "run", null)]
    [InlineData("/usr/bin/PerfReference.OrdersServiceX", null, null)]
    public void AProcessIsAServiceOfThisCheckoutByTheAssemblyItRuns(string program, string? argument, string? service)
    {
        string[] commandLine = argument is null ? [program] : [program, argument];

        Assert.Equal(service, ServiceProcesses.Identify(commandLine, "/work/wt"));
    }

    [Fact]
    public void TheDashboardIsThisCheckoutsWhenDcpWhichStartedItWatchesThisCheckoutsAppHost()
    {
        // As DCP runs it: the dashboard's parent is DCP's controller, which watches (--monitor) DCP's API server, which
        // runs detached (its parent is init) and watches the AppHost.
        var processes = new Dictionary<int, LocalProcess>
        {
            [10] = new(10, ["/work/wt/src/AppHost/bin/Release/net10.0/AppHost"]),
            [11] = new(11, ["/root/.nuget/packages/aspire.hosting.orchestration.linux-x64/13.6.5/tools/dcp", "start-apiserver", "--monitor", "10"]),
            [12] = new(12, ["/root/.nuget/packages/aspire.hosting.orchestration.linux-x64/13.6.5/tools/dcp", "run-controllers", "--monitor", "11"]),
            [13] = new(13, ["/root/.nuget/packages/aspire.dashboard.sdk.linux-x64/13.6.5/tools/Aspire.Dashboard"]),
        };
        var parents = new Dictionary<int, int> { [10] = 9, [11] = 1, [12] = 11, [13] = 12 };

        Assert.True(ServiceProcesses.StartedFrom(13, "/work/wt", processes.GetValueOrDefault, pid => parents.TryGetValue(pid, out var parent) ? parent : null));
        Assert.False(ServiceProcesses.StartedFrom(13, "/work/other", processes.GetValueOrDefault, pid => parents.TryGetValue(pid, out var parent) ? parent : null));
        Assert.False(ServiceProcesses.StartedFrom(13, "/work/wt", processes.GetValueOrDefault, _ => 1)); // started by init: nobody's
    }
}
