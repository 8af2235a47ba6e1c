using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;

namespace PerfReference.DurableWrites.Benchmarks;

/// <summary>The median and the tail of one write, beside the mean: a flush to disk shows in the tail first.</summary>
public sealed class PercentilesConfig : ManualConfig
{
    public PercentilesConfig()
    {
        AddColumn(StatisticColumn.P50, StatisticColumn.P95, StatisticColumn.Max);
        SummaryStyle = SummaryStyle.Default.WithMaxParameterColumnWidth(40); // the store's full name, not "Redis(...)tence"
    }
}
