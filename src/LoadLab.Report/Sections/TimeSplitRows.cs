using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// Rows of where requests spent their time, from the service's Server-Timing: waiting on each dependency, the rest of
/// the service's own time, and what lies outside the service. Calls made at once (a fan-out) add up to more than the time
/// they took: such a sum is not a duration, and is not shown as one. A run's means and its slowest requests, and a
/// capacity search's slowest per step, are written alike.
/// </summary>
public static class TimeSplitRows
{
    public static void Header(StringBuilder md)
    {
        md.Append("| variant | latency | in the service | PostgreSQL | grains | payment provider | rest of the service | outside the service |\n");
        md.Append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    }

    /// <summary>A row for the slowest requests: the label says how many and from what latency.</summary>
    public static void Slowest(StringBuilder md, string label, TailTimeSplit tail) =>
        Row(md, $"{label}, slowest 1 % ({Figures.Count(tail.Requests)}, from {Figures.Mean(tail.FromMs)} ms)",
            tail.LatencyMs, tail.ServerMs, tail.DbMs, tail.GrainMs, tail.PaymentMs);

    public static void Row(StringBuilder md, string label, double latency, double server, double? db, double? grains, double? payments)
    {
        string Wait(double? ms) => ms is { } value && value > server ? "at once" : Figures.Mean(ms);
        var dependencies = (db ?? 0) + (grains ?? 0) + (payments ?? 0);
        // Overlapping waits add up to more than the service's own time: then its rest is unknown.
        var rest = server >= dependencies ? Figures.Mean(server - dependencies) : "–";
        md.Append(CultureInfo.InvariantCulture,
            $"| {label} | {Figures.Mean(latency)} | {Figures.Mean(server)} | {Wait(db)} | {Wait(grains)} | " +
            $"{Wait(payments)} | {rest} | {Figures.Mean(Math.Max(0, latency - server))} |\n");
    }
}
