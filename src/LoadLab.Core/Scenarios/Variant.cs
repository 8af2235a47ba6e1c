using PerfReference.Performance;

namespace PerfReference.LoadLab.Scenarios;

/// <summary>One arm of a run: a label for tables and metrics, and the <c>X-Perf-Variant</c> header it sends.</summary>
public sealed record Variant(string Label, string Header)
{
    public static Variant Naive { get; } = new("naive", "naive");

    public static Variant Optimized { get; } = new("optimized", "optimized");

    /// <summary>Everything naive but one entry: one change at a time, as the log records it.</summary>
    public static Variant OnlyOptimized(PerfEntry entry) => new("optimized", $"naive, {entry.Id}=optimized");

    /// <summary>Everything optimized but one entry: for a fix whose gain the naive code's larger costs would hide.</summary>
    public static Variant OnlyNaive(PerfEntry entry) => new("naive", $"optimized, {entry.Id}=naive");

    /// <summary>
    /// The seed journey as a staircase: everything naive, then each step's fix added on top of the
    /// previous ones, then everything optimized (including entries the journey does not name).
    /// </summary>
    public static IReadOnlyList<Variant> Staircase(IReadOnlyList<PerfEntry> steps)
    {
        var variants = new List<Variant> { Naive };
        for (var i = 1; i <= steps.Count; i++)
        {
            var fixes = steps.Take(i).Select(step => $"{step.Id}=optimized");
            variants.Add(new Variant($"+{steps[i - 1].Id}", $"naive, {string.Join(", ", fixes)}"));
        }

        variants.Add(Optimized);
        return variants;
    }
}
