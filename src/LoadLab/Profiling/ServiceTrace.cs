using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using PerfReference.LoadLab.Processes;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Profiling;

/// <summary>
/// An EventPipe trace of the service under load — what <c>dotnet-trace collect</c> records with its
/// default (cpu-sampling) profile: CPU samples of every thread plus the runtime's GC, exception,
/// loader and JIT events, so the flame graph names methods. Written as .nettrace (gitignored).
/// </summary>
public sealed class ServiceTrace : IAsyncDisposable
{
    /// <summary>The process name of OrdersService (its assembly name).</summary>
    public const string ServiceProcessName = "PerfReference.OrdersService";

    /// <summary>dotnet-trace's default runtime keywords (GC, loader, JIT, exceptions, ...).</summary>
    private const long DefaultRuntimeKeywords = 0x14C14FCCBD;

    private readonly EventPipeSession _session;
    private readonly Task _copy;
    private readonly FileStream _file;

    private ServiceTrace(EventPipeSession session, FileStream file)
    {
        _session = session;
        _file = file;
        _copy = Task.Run(() => session.EventStream.CopyToAsync(file));
    }

    public string Path => _file.Name;

    public int ProcessId { get; private init; }

    public static async Task<ServiceTrace> StartAsync(int? processId, string path, CancellationToken ct)
    {
        var pid = processId ?? FindService();
        var providers = new[]
        {
            new EventPipeProvider("Microsoft-DotNETCore-SampleProfiler", EventLevel.Informational),
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, DefaultRuntimeKeywords),
        };

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        try
        {
            var session = await new DiagnosticsClient(pid).StartEventPipeSessionAsync(providers, requestRundown: true, circularBufferMB: 256, ct);
            return new ServiceTrace(session, File.Create(path)) { ProcessId = pid };
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or UnsupportedCommandException or TimeoutException)
        {
            throw new LabInputException($"Cannot trace process {pid}: {ex.Message}");
        }
    }

    /// <summary>How to read the trace, printed after the run.</summary>
    public string Advice() =>
        $"Trace of process {ProcessId}: {Path}\n" +
        $"  flame graph: dotnet tool restore && dotnet dotnet-trace convert --format Speedscope {Path}  (open the .speedscope.json at speedscope.app)\n" +
        "  or open the .nettrace in PerfView or Visual Studio.";

    public async ValueTask DisposeAsync()
    {
        await _session.StopAsync(CancellationToken.None); // ends the stream after the rundown, so the copy completes
        await _copy;
        await _file.DisposeAsync();
        _session.Dispose();
    }

    /// <summary>The one OrdersService process of this checkout on this machine.</summary>
    private static int FindService() => ServiceProcesses.Of(TopologyServices.Orders) switch
    {
        [var only] => only,
        [] => throw new LabInputException($"No {ServiceProcessName} process of this checkout is running; start the system, or give --trace-pid."),
        var several => throw new LabInputException($"{several.Count} {ServiceProcessName} processes of this checkout are running ({string.Join(", ", several)}); choose one with --trace-pid."),
    };
}
