using System.Runtime.InteropServices;

namespace PerfReference.LoadLab.Processes;

/// <summary>
/// A process on this machine as /proc shows it: its id and its arguments, the program first, each argument whole (so
/// that <c>-p 5432</c> is never found in <c>-p 54321</c>).
/// </summary>
public sealed record LocalProcess(int Id, IReadOnlyList<string> Arguments)
{
    /// <summary>The program's file name ("postgres", "PerfReference.CustomerGrains"); a title a server wrote over its arguments counts up to its first space.</summary>
    public string ProgramName => Arguments.Count == 0 ? "" : Path.GetFileName(Arguments[0].Split(' ')[0]);

    /// <summary>The argument that follows <paramref name="option"/>, both matched whole; null when the option is not there.</summary>
    public string? Option(string option) => OptionIn(Arguments, option);

    /// <summary>The argument of <paramref name="arguments"/> that follows <paramref name="option"/>, both matched whole.</summary>
    public static string? OptionIn(IReadOnlyList<string> arguments, string option)
    {
        for (var i = 0; i + 1 < arguments.Count; i++)
        {
            if (arguments[i] == option)
            {
                return arguments[i + 1];
            }
        }

        return null;
    }

    /// <summary>Every word of the arguments, split at spaces too (a server's title: <c>redis-server 127.0.0.1:6379</c>).</summary>
    public IEnumerable<string> Words => Arguments.SelectMany(argument => argument.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>
/// The one way the lab finds processes on this machine: by their arguments in /proc, matched whole, never by substring.
/// Which of them belong to this checkout is decided by those who ask (<see cref="ServiceProcesses"/>: a program under
/// this repository; a server: the port this checkout's topology connects to). And the signals a drill sends them: the
/// drills act as the world does — a process killed, a server shut down — and leave starting them again to the
/// AppHost's supervisor, as a cluster leaves it to its scheduler.
/// </summary>
public static class LocalProcesses
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    /// <summary>Every process of this machine whose arguments can be read, lowest id first, the lab itself left out.</summary>
    public static IReadOnlyList<LocalProcess> All() =>
        [.. Ids().Where(pid => pid != Environment.ProcessId).Select(Read).OfType<LocalProcess>()];

    /// <summary>The ids of the processes /proc lists, lowest first (it lists processes, not their threads).</summary>
    public static IEnumerable<int> Ids() =>
        Directory.Exists("/proc")
            ? Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Select(name => int.TryParse(name, out var pid) ? pid : 0).Where(pid => pid > 0).Order()
            : [];

    /// <summary>The process of this id, or null when it is gone, not ours to read, or a kernel thread (no arguments).</summary>
    public static LocalProcess? Read(int pid) => ReadCommandLine(pid) is { Length: > 0 } arguments ? new LocalProcess(pid, arguments) : null;

    /// <summary>A process's arguments, its program first; null when it is gone or not ours to read.</summary>
    public static string[]? ReadCommandLine(int pid) =>
        ReadProcFile(pid, "cmdline")?.Split('\0', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A process's environment as it started (NAME=value, NUL-separated); null when it is gone or not ours to read.</summary>
    public static string? ReadEnvironment(int pid) => ReadProcFile(pid, "environ");

    /// <summary>A process's /proc/&lt;pid&gt;/stat (its state, parent, CPU ticks, …); null when it is gone.</summary>
    public static string? ReadStat(int pid) => ReadProcFile(pid, "stat");

    /// <summary>The processes whose parent is <paramref name="parent"/> (a server's workers: PostgreSQL's backends), lowest id first.</summary>
    public static IReadOnlyList<int> ChildrenOf(int parent) => [.. Ids().Where(pid => ParentOf(pid) == parent)];

    /// <summary>The parent's id from /proc/&lt;pid&gt;/stat (the field after the state, which follows the name in parentheses); null when it is gone.</summary>
    public static int? ParentOf(int pid) =>
        ReadStat(pid) is { } stat && stat.LastIndexOf(')') is var end and >= 0
        && stat[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var parent, ..]
        && int.TryParse(parent, out var id) ? id : null;

    /// <summary>Whether the process still runs: it has arguments to read (a zombie has none; it is gone but for its exit code).</summary>
    public static bool IsRunning(int pid) => Read(pid) is not null;

    /// <summary>A process's environment, as /proc/&lt;pid&gt;/environ holds it (NAME=value, NUL-separated).</summary>
    public static IReadOnlyDictionary<string, string> ParseEnvironment(string environ)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in environ.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry.IndexOf('=', StringComparison.Ordinal) is var equals and > 0)
            {
                variables[entry[..equals]] = entry[(equals + 1)..];
            }
        }

        return variables;
    }

    public static void Signal(int pid, int signal)
    {
        if (kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"Signal {signal} to process {pid} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    private static string? ReadProcFile(int pid, string name)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/{name}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
