namespace PerfReference.Performance;

public enum PerfVariant
{
    /// <summary>The code as teams first write it.</summary>
    Naive,

    /// <summary>The fix.</summary>
    Optimized,
}

/// <summary>
/// Which variant a request runs for each catalog entry: a default, and overrides per entry. Written
/// as a header value, for example <c>optimized</c> or <c>naive, n-plus-one-db=optimized</c>.
/// </summary>
public sealed record PerfSelection(PerfVariant Default, IReadOnlyDictionary<string, PerfVariant> Overrides)
{
    public const string HeaderName = "X-Perf-Variant";

    public static PerfSelection AllNaive { get; } = new(PerfVariant.Naive, new Dictionary<string, PerfVariant>());

    public static PerfSelection AllOptimized { get; } = new(PerfVariant.Optimized, new Dictionary<string, PerfVariant>());

    public PerfVariant VariantOf(PerfEntry entry) => Overrides.TryGetValue(entry.Id, out var variant) ? variant : Default;

    public bool IsOptimized(PerfEntry entry) => VariantOf(entry) == PerfVariant.Optimized;

    /// <summary>One word for dashboards: the variant when every entry runs it, "mixed" when overrides differ.</summary>
    public string Label => Overrides.Values.All(v => v == Default) ? Name(Default) : "mixed";

    public override string ToString() =>
        string.Join(", ", new[] { Name(Default) }.Concat(Overrides.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={Name(o.Value)}")));

    public static string Name(PerfVariant variant) => variant == PerfVariant.Naive ? "naive" : "optimized";

    /// <summary>Parses a header value; anything it cannot use is an error that says what and why.</summary>
    public static PerfSelection Parse(string value, PerfVariant fallback)
    {
        PerfVariant? defaultVariant = null;
        var overrides = new Dictionary<string, PerfVariant>(StringComparer.Ordinal);

        foreach (var token in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = token.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 1)
            {
                if (defaultVariant is not null)
                {
                    throw new PerfSelectionException($"'{value}' names a default variant twice; give one, then entry=variant overrides.");
                }

                defaultVariant = ParseVariant(parts[0]);
                continue;
            }

            var entry = PerfCatalog.RequireBuilt(parts[0]);
            if (!overrides.TryAdd(entry.Id, ParseVariant(parts[1])))
            {
                throw new PerfSelectionException($"'{parts[0]}' is overridden twice in '{value}'.");
            }
        }

        return new PerfSelection(defaultVariant ?? fallback, overrides);
    }

    private static PerfVariant ParseVariant(string text) => text.ToLowerInvariant() switch
    {
        "naive" => PerfVariant.Naive,
        "optimized" => PerfVariant.Optimized,
        _ => throw new PerfSelectionException($"'{text}' is not a variant; use naive or optimized."),
    };
}

public sealed class PerfSelectionException(string message) : FormatException(message);
