namespace PerfReference.Performance;

public sealed class PerfOptions
{
    public const string SectionName = "PerfReference:Perf";

    /// <summary>The variant of a request that names none: naive, the code as first written, unless configured. The lab's only.</summary>
    public PerfVariant DefaultVariant { get; set; } = PerfVariant.Naive;

    /// <summary>
    /// Whether the process runs as the lab (<see cref="Topology.ServiceMode"/>): requests choose their variant and
    /// hear their counters. Set from <c>PerfReference:Mode</c>; outside the lab every request and every background
    /// job runs the optimized code, whatever <see cref="DefaultVariant"/> or a request says.
    /// </summary>
    public bool IsLab { get; set; }

    /// <summary>Every entry at <see cref="DefaultVariant"/>: the selection of a request without a header, and of work outside requests.</summary>
    public PerfSelection DefaultSelection => IsLab && DefaultVariant == PerfVariant.Naive ? PerfSelection.AllNaive : PerfSelection.AllOptimized;
}
