using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using PerfReference.LoadLab;

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
        _session.Stop(); // ends the stream after the rundown, so the copy completes
        await _copy;
        await _file.DisposeAsync();
        _session.Dispose();
    }

    /// <summary>The one OrdersService process on this machine: by process name, or a <c>dotnet</c> host running its dll.</summary>
    private static int FindService()
    {
        var byName = Process.GetProcessesByName(ServiceProcessName).Select(p => p.Id)
            .Concat(DiagnosticsClient.GetPublishedProcesses().Where(RunsService))
            .Distinct()
            .ToArray();
        return byName switch
        {
            [var only] => only,
            [] => throw new LabInputException($"No {ServiceProcessName} process is running; start the system, or give --trace-pid."),
            _ => throw new LabInputException($"{byName.Length} {ServiceProcessName} processes are running ({string.Join(", ", byName)}); choose one with --trace-pid."),
        };
    }

    private static bool RunsService(int pid)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            return commandLine.Contains(ServiceProcessName + ".dll", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
