namespace PerfReference.LoadLab.Results;

/// <summary>
/// What one process's runtime did over a window of a run, as the log's Detection paragraphs show it:
/// peaks of the gauges, totals of the counters, and the slope of memory (MB per minute, least
/// squares) — the figure that tells a leak (steady growth) from a cache filling up (growth that stops).
/// </summary>
public sealed record SignalSummary(
    string Service,
    int ProcessId,
    int Samples,
    double MeanCpuCores,
    double PeakCpuCores,
    double PeakWorkingSetMB,
    double WorkingSetSlopeMBPerMinute,
    double PeakGcHeapMB,
    double GcHeapSlopeMBPerMinute,
    double Gen2Collections,
    double GcPauseMs,
    double ThreadsAtStart,
    double PeakThreads,
    double PeakQueue,
    double LockContentions)
{
    /// <summary>The samples that end within [from, to] seconds of the run's start; null when there are none.</summary>
    public static SignalSummary? Of(ProcessSignals process, double fromSeconds = double.MinValue, double toSeconds = double.MaxValue)
    {
        var samples = process.Samples.Where(s => s.AtSeconds >= fromSeconds && s.AtSeconds <= toSeconds).OrderBy(s => s.AtSeconds).ToArray();
        if (samples.Length == 0)
        {
            return null;
        }

        return new SignalSummary(
            process.Service,
            process.ProcessId,
            samples.Length,
            Math.Round(samples.Average(s => s.CpuCores), 2),
            samples.Max(s => s.CpuCores),
            samples.Max(s => s.WorkingSetMB),
            Slope(samples, s => s.WorkingSetMB),
            samples.Max(s => s.GcHeapMB),
            Slope(samples, s => s.GcHeapMB),
            samples.Sum(s => s.Gen2Collections),
            Math.Round(samples.Sum(s => s.GcPauseMs), 1),
            samples[0].ThreadPoolThreads,
            samples.Max(s => s.ThreadPoolThreads),
            samples.Max(s => s.ThreadPoolQueue),
            samples.Sum(s => s.LockContentions));
    }

    /// <summary>Least-squares slope of a value over time, per minute (0 for fewer than two samples or no time between them).</summary>
    public static double Slope(IReadOnlyList<MeterSample> samples, Func<MeterSample, double> value)
    {
        if (samples.Count < 2)
        {
            return 0;
        }

        var meanT = samples.Average(s => s.AtSeconds);
        var meanV = samples.Average(value);
        var covariance = samples.Sum(s => (s.AtSeconds - meanT) * (value(s) - meanV));
        var variance = samples.Sum(s => (s.AtSeconds - meanT) * (s.AtSeconds - meanT));
        return variance == 0 ? 0 : Math.Round(covariance / variance * 60, 2);
    }
}
