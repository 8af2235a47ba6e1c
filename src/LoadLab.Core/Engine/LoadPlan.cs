using PerfReference.LoadLab.Scenarios;

namespace PerfReference.LoadLab.Engine;

/// <summary>
/// What the engine sends: <see cref="Rate"/> arrivals a second for <see cref="Warmup"/> (not
/// recorded) plus <see cref="Duration"/> (recorded), assigned to the variants round-robin.
/// </summary>
public sealed record LoadPlan(string Scenario, double Rate, TimeSpan Duration, TimeSpan Warmup, IReadOnlyList<Variant> Variants)
{
    /// <summary>
    /// More requests in flight than this are not sent but counted as dropped errors: a bound on the
    /// lab's own memory, never a wait (waiting would hide the system's slowness from the figures).
    /// </summary>
    public int MaxInFlight { get; init; } = 2_000;

    /// <summary>How many times the load runs: once, or once per variant for a phased scenario.</summary>
    public int Phases { get; init; } = 1;

    /// <summary>The time the load takes, warm-up included (a phased scenario's resets between phases come on top).</summary>
    public TimeSpan PlannedLength => (Warmup + Duration) * Phases;

    /// <summary>Request <c>i</c> is due at start + i / rate.</summary>
    public long TotalRequests => (long)Math.Floor((Warmup + Duration).TotalSeconds * Rate);

    public long WarmupRequests => (long)Math.Ceiling(Warmup.TotalSeconds * Rate);

    public TimeSpan DueAt(long i) => TimeSpan.FromSeconds(i / Rate);

    public Variant VariantOf(long i) => Variants[(int)(i % Variants.Count)];
}
