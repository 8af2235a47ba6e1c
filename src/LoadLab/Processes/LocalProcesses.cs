using System.Runtime.InteropServices;

namespace PerfReference.LoadLab.Processes;

/// <summary>
/// The processes of the topology on this machine, found by their command lines (/proc), and the
/// signals a drill sends them. The drills act as the world does — a process killed, a server shut
/// down — and leave starting them again to the AppHost's supervisor, as a cluster leaves it to its scheduler.
/// </summary>
public static class LocalProcesses
{
    public const int SigInt = 2;
    public const int SigKill = 9;

    /// <summary>The processes whose command line contains every one of <paramref name="parts"/>, lowest id first.</summary>
    public static IReadOnlyList<int> Find(params string[] parts) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, out var pid) ? pid : -1)
            .Where(pid => pid > 0 && pid != Environment.ProcessId)
            .Where(pid => CommandLine(pid) is { } line && parts.All(part => line.Contains(part, StringComparison.Ordinal)))
            .Order()];

    public static void Signal(int pid, int signal)
    {
        if (kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"Signal {signal} to process {pid} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    public static bool IsAlive(int pid) => kill(pid, 0) == 0;

    /// <summary>The arguments of a process joined by spaces, or null when it is gone or unreadable.</summary>
    private static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
