using PerfReference.Performance;

namespace PerfReference.LoadLab.Scenarios;

/// <summary>
/// One arm of a run: a label for tables and metrics, and the <c>X-Perf-Variant</c> header it sends — written with the
/// switch's own words (<see cref="PerfSelection.Name"/>), the lab's one place for "naive" and "optimized".
/// </summary>
public sealed record Variant(string Label, string Header)
{
    private static readonly string NaiveWord = PerfSelection.Name(PerfVariant.Naive);
    private static readonly string OptimizedWord = PerfSelection.Name(PerfVariant.Optimized);

    public static Variant Naive { get; } = new(NaiveWord, NaiveWord);

    public static Variant Optimized { get; } = new(OptimizedWord, OptimizedWord);

    /// <summary>Everything naive but one entry: one change at a time, as the log records it.</summary>
    public static Variant OnlyOptimized(PerfEntry entry) => new(OptimizedWord, HeaderOf(PerfVariant.Naive, [(entry, PerfVariant.Optimized)]));

    /// <summary>Everything optimized but one entry: for a fix whose gain the naive code's larger costs would hide.</summary>
    public static Variant OnlyNaive(PerfEntry entry) => new(NaiveWord, HeaderOf(PerfVariant.Optimized, [(entry, PerfVariant.Naive)]));

    /// <summary>
    /// The seed journey as a staircase: everything naive, then each step's fix added on top of the
    /// previous ones, then everything optimized (including entries the journey does not name).
    /// </summary>
    public static IReadOnlyList<Variant> Staircase(IReadOnlyList<PerfEntry> steps)
    {
        var variants = new List<Variant> { Naive };
        for (var i = 1; i <= steps.Count; i++)
        {
            variants.Add(new Variant($"+{steps[i - 1].Id}", HeaderOf(PerfVariant.Naive, [.. steps.Take(i).Select(step => (step, PerfVariant.Optimized))])));
        }

        variants.Add(Optimized);
        return variants;
    }

    /// <summary>An <c>X-Perf-Variant</c> value: a default variant, then the entries that differ from it, in the order given.</summary>
    public static string HeaderOf(PerfVariant defaultVariant, IReadOnlyList<(PerfEntry Entry, PerfVariant Variant)> overrides) =>
        string.Join(", ", overrides.Select(o => $"{o.Entry.Id}={PerfSelection.Name(o.Variant)}").Prepend(PerfSelection.Name(defaultVariant)));
}
