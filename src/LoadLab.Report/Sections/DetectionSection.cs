using System.Text;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// How the problem is detected — the metric, the tool, what to look for — and, folded beneath, the runtime signals of
/// the entry's newest run that recorded them (what that paragraph tells the reader to look for, as the run saw it).
/// </summary>
public sealed class DetectionSection : IEntrySection
{
    public void Append(StringBuilder md, EntryContext entry)
    {
        if (entry.Text.Of(EntryText.Detection) is not { } detection)
        {
            return;
        }

        md.Append("## How it is detected\n\n").Append(detection).Append("\n\n");
        var run = entry.History.Quoted.Select(s => s.Newest!).Where(r => r.Signals is { Count: > 0 } || r.HeapDumps is { Count: > 0 }).MaxBy(r => r.StartedUtc);
        if (run is not null)
        {
            Folded.Append(md, $"The runtime signals of the newest run ({RunSections.Network(run)}, {Figures.Rate(run.Rate)} requests/s), per process", inner => Signals(inner, run));
        }
    }

    private static void Signals(StringBuilder md, RunResult run)
    {
        var windows = run.Phases is { Count: > 0 } phases
            ? phases.Select(p => new SignalTable.Window(p.Variant, p.FromSeconds, p.ToSeconds)).ToArray()
            : [new SignalTable.Window(null, double.MinValue, double.MaxValue)];
        var how = run.Phases is { Count: > 0 } ? "one variant after the other" : "naive and optimized interleaved";
        SignalTable.Append(md, run.Signals, windows,
            $"From the services' `System.Runtime` meter, one sample a second, {how}; slopes in MB per minute:");
        if (run.Phases?.Where(p => p.LiveHeapGrowthMBPerMinute is not null).ToArray() is { Length: > 0 } soaked)
        {
            md.Append("OrdersService's live heap (after a full collection) before and after each phase: ")
                .AppendJoin("; ", soaked.Select(p => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{p.Variant} {p.LiveHeapMBBefore:0.0} → {p.LiveHeapMBAfter:0.0} MB ({p.LiveHeapGrowthMBPerMinute:+0.0;-0.0;0.0} MB per minute)")))
                .Append(".\n\n");
        }

        if (run.HeapDumps is { Count: > 0 } dumps)
        {
            md.Append("Heap dumps of OrdersService (`dotnet-gcdump`, taken by the lab after each phase; the largest types by bytes on the heap):\n\n");
            md.Append("| after | heap MB | objects | largest types |\n|---|---:|---:|---|\n");
            foreach (var dump in dumps)
            {
                md.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"| {dump.Variant} | {dump.HeapBytes / (1024.0 * 1024):0.0} | {dump.HeapObjects:N0} | " +
                    $"{string.Join("; ", dump.LargestTypes.Select(t => $"`{t.Type}` {t.Bytes / (1024.0 * 1024):0.0} MB ({t.Objects:N0})"))} |\n");
            }

            md.Append('\n');
        }
    }
}
