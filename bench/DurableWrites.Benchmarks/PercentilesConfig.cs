using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace PerfReference.DurableWrites.Benchmarks;

/// <summary>The median and the tail of one write, beside the mean: a flush to disk shows in the tail first.</summary>
public sealed class PercentilesConfig : ManualConfig
{
    public PercentilesConfig() => AddColumn(StatisticColumn.P50, StatisticColumn.P95, StatisticColumn.Max);
}
