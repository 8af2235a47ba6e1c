namespace PerfReference.Performance;

public sealed class PerfOptions
{
    public const string SectionName = "PerfReference:Perf";

    /// <summary>The variant of a request that names none: naive, the code as first written, unless configured.</summary>
    public PerfVariant DefaultVariant { get; set; } = PerfVariant.Naive;

    /// <summary>Every entry at <see cref="DefaultVariant"/>: the selection of a request without a header, and of work outside requests.</summary>
    public PerfSelection DefaultSelection => DefaultVariant == PerfVariant.Naive ? PerfSelection.AllNaive : PerfSelection.AllOptimized;
}
