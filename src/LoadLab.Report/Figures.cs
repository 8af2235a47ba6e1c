using System.Globalization;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>How figures are written, everywhere (console, log, charts): invariant culture, precision by magnitude.</summary>
public static class Figures
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Milliseconds: 3 significant digits or whole numbers (0.42, 4.20, 42.0, 420).</summary>
    public static string Ms(double ms) => ms switch
    {
        >= 100 => ms.ToString("F0", Invariant),
        >= 10 => ms.ToString("F1", Invariant),
        _ => ms.ToString("F2", Invariant),
    };

    /// <summary>A mean per request; "–" when the service did not report it.</summary>
    public static string Mean(double? value) => value switch
    {
        null => "–",
        >= 100 => value.Value.ToString("F0", Invariant),
        _ => value.Value.ToString("F1", Invariant),
    };

    public static string Count(long value) => value.ToString(Invariant);

    public static string Bytes(double bytes) => bytes.ToString("N0", Invariant);

    public static string Rate(double perSecond) => perSecond.ToString("0.#", Invariant);

    /// <summary>How many times smaller this row's figure is than the baseline's (1.0× for the baseline itself).</summary>
    public static string Ratio(double baseline, double value) =>
        value <= 0 ? "–" : (baseline / value) switch
        {
            >= 100 and var r => r.ToString("F0", Invariant) + "×",
            var r => r.ToString("F1", Invariant) + "×",
        };

    /// <summary>Ratios over several runs as "lowest / median / highest" (e.g. "4.1× / 5.0× / 6.3×").</summary>
    public static string Spread(IEnumerable<double> ratios)
    {
        var spread = Results.Spread.Of(ratios);
        return $"{Ratio(spread.Lowest, 1)} / {Ratio(spread.Median, 1)} / {Ratio(spread.Highest, 1)}";
    }

    /// <summary>Units of work per second at a request's mean latency (rows per second of an import).</summary>
    public static double WorkRate(long amount, double meanMs) => meanMs <= 0 ? 0 : amount * 1000.0 / meanMs;

    /// <summary>The network a run crossed: "seed", or "seed, client link mobile" when the client's link had a profile of its own.</summary>
    public static string Network(RunResult result) =>
        result.OwnClientProfile is { } client ? $"{result.Profile}, client link {client}" : result.Profile;

    public static string Svg(double value) => Math.Round(value, 1).ToString("0.#", Invariant);

    /// <summary>A run's condition in a file name or an anchor ("-through-pgbouncer"); nothing without one.</summary>
    public static string ConditionSuffix(string? condition) =>
        condition is null ? "" : "-" + new string([.. condition.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');

    /// <summary>" (load average 3.2 when it started, 4.1 when it ended)", or nothing for a result that did not record it.</summary>
    public static string LoadAverage(MachineInfo machine, double? ended = null) => machine.LoadAverage is { } load
        ? $" (load average {load.ToString("0.0", Invariant)} when it started{(ended is { } end ? $", {end.ToString("0.0", Invariant)} when it ended" : "")})"
        : "";
}
