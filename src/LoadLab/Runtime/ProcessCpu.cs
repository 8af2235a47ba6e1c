using System.Globalization;
using PerfReference.LoadLab.Processes;

namespace PerfReference.LoadLab.Runtime;

/// <summary>
/// CPU time of a process tree from /proc, when the process runs on this machine: what PostgreSQL spends serving the
/// service, read beside it. The server is a postmaster and a process per connection: its CPU is the postmaster's own,
/// the CPU of the children it has reaped (a closed connection's process, in its cutime/cstime), and that of the
/// children still running.
/// </summary>
public static class ProcessCpu
{
    /// <summary>/proc/[pid]/stat counts in clock ticks; Linux's USER_HZ is 100 on every architecture .NET runs on.</summary>
    private const double MillisecondsPerTick = 10;

    /// <summary>The parent of a process (the postmaster, for a PostgreSQL backend), or null when /proc has no such process.</summary>
    public static int? ParentOf(int pid) => Stat(pid) is { } stat ? int.Parse(stat[1], CultureInfo.InvariantCulture) : null;

    /// <summary>CPU milliseconds of the process, its reaped children and its running children; null when it is not on this machine.</summary>
    public static double? TreeMilliseconds(int pid)
    {
        if (Stat(pid) is not { } own)
        {
            return null;
        }

        // Fields after the command: [0] state, [1] ppid, … [11] utime, [12] stime, [13] cutime, [14] cstime.
        var ticks = Ticks(own, 11) + Ticks(own, 12) + Ticks(own, 13) + Ticks(own, 14);
        foreach (var child in LocalProcesses.Ids())
        {
            if (child != pid && Stat(child) is { } stat && int.Parse(stat[1], CultureInfo.InvariantCulture) == pid)
            {
                ticks += Ticks(stat, 11) + Ticks(stat, 12);
            }
        }

        return ticks * MillisecondsPerTick;
    }

    /// <summary>The fields of /proc/[pid]/stat after "(command)" (which may itself hold spaces and parentheses).</summary>
    private static string[]? Stat(int pid) => LocalProcesses.ReadStat(pid) is { } text ? text[(text.LastIndexOf(')') + 2)..].Split(' ') : null;

    private static long Ticks(string[] fields, int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);
}
