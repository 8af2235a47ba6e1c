using HdrHistogram;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Engine;

/// <summary>What a recorder counted over a measured window, as a result file keeps it: its totals with the latencies added.</summary>
public static class VariantFigures
{
    /// <param name="window">The measured window: throughput is the successes over it.</param>
    public static VariantResult Of(VariantRecorder recorder, TimeSpan window)
    {
        var latency = recorder.LatencySnapshot();
        double Ms(double percentile) => latency.TotalCount == 0 ? 0 : latency.GetValueAtPercentile(percentile) / 1000.0;

        return new VariantResult(recorder.Totals())
        {
            Label = recorder.Variant.Label,
            Header = recorder.Variant.Header,
            Throughput = Math.Round(latency.TotalCount / window.TotalSeconds, 3),
            P50Ms = Ms(50),
            P90Ms = Ms(90),
            P95Ms = Ms(95),
            P99Ms = Ms(99),
            P999Ms = Ms(99.9),
            MaxMs = latency.TotalCount == 0 ? 0 : latency.GetMaxValue() / 1000.0,
            MeanMs = latency.TotalCount == 0 ? 0 : Math.Round(latency.GetMean() / 1000.0, 3),
            Histogram = HistogramCodec.Encode(latency),
        };
    }
}
