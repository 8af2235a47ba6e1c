using PerfReference.LoadLab.Scenarios;

namespace PerfReference.LoadLab.Engine;

/// <summary>A run in progress: its counters and its recorders, read by the live display and the serve API.</summary>
public sealed class LiveRun(LoadPlan plan) : LoadCounters
{
    public LoadPlan Plan { get; } = plan;

    public IReadOnlyList<VariantRecorder> Recorders { get; } = plan.Variants.Select(v => new VariantRecorder(v)).ToArray();

    public VariantRecorder RecorderOf(Variant variant) => Recorders.First(r => ReferenceEquals(r.Variant, variant));
}
