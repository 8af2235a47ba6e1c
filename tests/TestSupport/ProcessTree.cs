using System.Runtime.InteropServices;

namespace PerfReference.TestSupport;

/// <summary>Reads the process tree from /proc, so tests can check processes by id rather than by name.</summary>
public static class ProcessTree
{
    /// <summary>The given processes and every descendant of theirs that is alive now.</summary>
    public static IReadOnlySet<int> WithDescendants(IEnumerable<int> roots)
    {
        var parents = AliveProcesses().ToDictionary(p => p.Pid, p => p.ParentPid);
        var result = new HashSet<int>(roots.Where(parents.ContainsKey));
        bool grew;
        do
        {
            grew = false;
            foreach (var (pid, parent) in parents)
            {
                if (result.Contains(parent) && result.Add(pid))
                {
                    grew = true;
                }
            }
        }
        while (grew);

        return result;
    }

    /// <summary>Those of <paramref name="pids"/> still running (zombies, already exited, do not count).</summary>
    public static IReadOnlyList<int> StillAlive(IEnumerable<int> pids)
    {
        var alive = AliveProcesses().Select(p => p.Pid).ToHashSet();
        return pids.Where(alive.Contains).ToArray();
    }

    /// <summary>Asks a process to stop, as a service manager or Ctrl+C would (SIGTERM).</summary>
    public static void Terminate(int pid)
    {
        if (kill(pid, SigTerm) != 0)
        {
            throw new InvalidOperationException($"Could not signal process {pid} (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private static IEnumerable<(int Pid, int ParentPid)> AliveProcesses()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // exited while we looked
            }

            // pid (comm) state ppid ...; comm may hold spaces and parentheses, so split after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] != "Z")
            {
                yield return (pid, int.Parse(fields[1]));
            }
        }
    }
}
