using System.Globalization;
using System.Runtime.InteropServices;

namespace PerfReference.LatencyProxy.Shaping;

/// <summary>
/// The links' threads at a higher nice level (Linux), so that on a busy machine the scheduler runs them as soon as a
/// socket or the link clock's timer wakes them, rather than after the slice of whatever else runs: on a real network the
/// wire is never late because the receiving machine is busy. They use a few percent of a core, so their weight takes
/// nothing measurable from the services. Not real-time: the runtime's threads spin at times, and a real-time thread that
/// spins starves the machine (tried: probes' P99 80–200 ms). Lowering the nice value needs CAP_SYS_NICE (root has it);
/// without it the threads keep the default.
/// </summary>
public static class SchedulingPriority
{
    /// <summary>The nice value asked for (−20 highest … 19 lowest): PERFREF_LINK_NICE, default −10.</summary>
    public static int Requested { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("PERFREF_LINK_NICE"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var nice) ? Math.Clamp(nice, -20, 19) : -10;

    /// <summary>
    /// Every thread of this process (a process of links only: the standalone proxy). Linux keeps a nice value per thread and
    /// a new thread inherits its creator's, so the threads the runtime starts later (the socket engine's, the pool's) have it too.
    /// </summary>
    public static void RaiseProcess()
    {
        if (OperatingSystem.IsLinux() && Requested != 0)
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                _ = setpriority(PrioProcess, int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture), Requested);
            }
        }
    }

    /// <summary>The calling thread only (the link clock's thread, in a process that also runs other work: a silo).</summary>
    public static void RaiseCurrentThread()
    {
        if (OperatingSystem.IsLinux() && Requested != 0)
        {
            _ = setpriority(PrioProcess, gettid(), Requested); // EPERM without CAP_SYS_NICE: the default stays
        }
    }

    private const int PrioProcess = 0; // with a thread id: that thread alone

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int priority);

    [DllImport("libc")]
    private static extern int gettid();
}
