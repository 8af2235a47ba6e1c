using PerfReference.LoadLab.Results;


namespace PerfReference.LoadLab.Report;

/// <summary>How capacities are written: a rate, "≥ rate" when the climb ended before the variant broke, "< start" when it broke at once.</summary>
public static class CapacityFigures
{
    public static string Sustained(VariantCapacity variant) => variant switch
    {
        { SustainedRate: null } => "< first step",
        { Bounded: false } => "≥ " + Figures.Rate(variant.SustainedRate.Value),
        _ => Figures.Rate(variant.SustainedRate.Value),
    };

    /// <summary>
    /// How many times the baseline's capacity this one is: "≥" when this one never broke, "&gt;" when the
    /// baseline broke at its first step (its capacity is below that rate), "–" when this one has no figure.
    /// </summary>
    public static string Ratio(VariantCapacity baseline, VariantCapacity variant) => (baseline.SustainedRate, variant.SustainedRate) switch
    {
        (_, null) => "–",
        ({ } low, { } high) when low > 0 => (variant.Bounded ? "" : "≥ ") + Figures.Ratio(high, low),
        (null, { } high) when baseline.BrokeAtRate is { } first && first > 0 => "> " + Figures.Ratio(high, first),
        _ => "–",
    };
}
