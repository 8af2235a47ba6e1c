namespace PerfReference.CustomerGrains.Timing;

/// <summary>
/// Where one grain call's time went, as tags on its spans: the silo tags its server span with its own part (the wait
/// and the run), the caller its client span with all three. Both sides name them, so they live with the contract.
/// </summary>
public static class GrainCallTags
{
    public const string LinkMs = "perf.grain.link_ms";
    public const string SiloWaitMs = "perf.grain.silo_wait_ms";
    public const string RunMs = "perf.grain.run_ms";
}
