using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The runtime signals of a run as the log's Detection paragraphs show them: one row per process
/// (and per phase, when the variants ran one after another), from the <c>System.Runtime</c> meter
/// the lab recorded — what an engineer reads on the dashboard's Metrics page while the load runs.
/// </summary>
public static class SignalTable
{
    /// <summary>A window of the run to summarise, labelled (a variant's phase), or the whole run (label null).</summary>
    public sealed record Window(string? Label, double FromSeconds, double ToSeconds);

    public static void Append(StringBuilder md, IReadOnlyList<ProcessSignals>? signals, IReadOnlyList<Window> windows, string caption)
    {
        if (signals is null || signals.Count == 0)
        {
            return;
        }

        var labelled = windows.Any(w => w.Label is not null);
        md.Append(caption).Append("\n\n");
        md.Append(labelled ? "| variant " : "").Append("| process | CPU cores mean / peak | thread-pool threads start → peak | queue peak | lock contentions | gen-2 GCs | GC pause ms | GC heap peak MB (MB/min) | working set peak MB (MB/min) |\n");
        md.Append(labelled ? "|---" : "").Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var window in windows)
        {
            foreach (var (process, name) in Named(signals))
            {
                var s = SignalSummary.Of(process, window.FromSeconds, window.ToSeconds);
                if (labelled)
                {
                    md.Append("| ").Append(window.Label).Append(' ');
                }

                md.Append("| ").Append(name).Append(' ');
                md.Append(s is null
                    ? $"| {process.Error ?? "no samples in this window"} | | | | | | | | |\n"
                    : string.Create(CultureInfo.InvariantCulture,
                        $"| {F(s.MeanCpuCores)} / {F(s.PeakCpuCores)} | {s.ThreadsAtStart:0} → {s.PeakThreads:0} | {s.PeakQueue:0} | {s.LockContentions:0} | {s.Gen2Collections:0} | " +
                        $"{Figures.Mean(s.GcPauseMs)} | {Figures.Mean(s.PeakGcHeapMB)} ({Signed(s.GcHeapSlopeMBPerMinute)}) | {Figures.Mean(s.PeakWorkingSetMB)} ({Signed(s.WorkingSetSlopeMBPerMinute)}) |\n"));
            }
        }

        md.Append('\n');
    }

    /// <summary>Processes by service; replicas numbered in process-id order ("silo 1", "silo 2").</summary>
    internal static IEnumerable<(ProcessSignals Process, string Name)> Named(IReadOnlyList<ProcessSignals> signals) =>
        signals.GroupBy(p => p.Service, StringComparer.Ordinal).OrderBy(g => ServiceOrder(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(group => group.Count() == 1
                ? [(group.First(), group.Key)]
                : group.OrderBy(p => p.ProcessId).Select((p, i) => (p, string.Create(CultureInfo.InvariantCulture, $"{group.Key} {i + 1}"))));

    private static int ServiceOrder(string service) =>
        TopologyServices.All.ToList().IndexOf(service) is var i and >= 0 ? i : int.MaxValue;

    private static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Signed(double value) => value.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture);
}
