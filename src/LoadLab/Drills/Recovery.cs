using HdrHistogram;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Drills;

/// <summary>
/// How long after a fault the system was itself again: the time from the fault's end to the start
/// of the first window of checkouts (by their due time) whose P99 is back within twice the P99
/// before the fault and in which no checkout gave up. Null when that never happened in the run.
/// </summary>
public static class Recovery
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The P99 of the checkouts that were over before the fault began: one still running when it hit
    /// (held up by it, or retried through it) is the fault's, not the baseline's.
    /// </summary>
    public static double BaselineP99Ms(IReadOnlyList<CheckoutOutcome> outcomes, TimeSpan faultStart) =>
        P99Ms(outcomes.Where(o => o.Finished <= faultStart && o.Accepted));

    public static double? Seconds(IReadOnlyList<CheckoutOutcome> outcomes, TimeSpan faultStart, TimeSpan faultEnd)
    {
        var baseline = BaselineP99Ms(outcomes, faultStart);
        var last = outcomes.Count == 0 ? TimeSpan.Zero : outcomes.Max(o => o.Due);
        for (var start = faultEnd; start + Window <= last + TimeSpan.FromSeconds(1); start += TimeSpan.FromSeconds(1))
        {
            var window = outcomes.Where(o => o.Due >= start && o.Due < start + Window).ToArray();
            if (window.Length > 0 && window.All(o => o.Accepted || o.Status is >= 400 and < 500) && P99Ms(window.Where(o => o.Accepted)) <= AvailabilityRule.P99OfBaseline * baseline)
            {
                return Math.Round((start - faultEnd).TotalSeconds, 1);
            }
        }

        return null;
    }

    private static double P99Ms(IEnumerable<CheckoutOutcome> outcomes)
    {
        var histogram = new LongHistogram(1, 600_000_000, 3);
        foreach (var outcome in outcomes)
        {
            histogram.RecordValue(Math.Clamp((long)outcome.Latency.TotalMicroseconds, 1, 600_000_000));
        }

        return histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(99) / 1000.0;
    }
}
