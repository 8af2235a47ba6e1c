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

    /// <summary>
    /// The finest time the service's <c>Server-Timing</c> reports (one decimal of a millisecond): a figure below it is
    /// "nothing measurable", and no ratio is taken over it.
    /// </summary>
    public const double ServerTimingResolutionMs = 0.1;

    /// <summary>
    /// <see cref="Ratio(double, double)"/>, or "–" where the denominator is below what its counter can resolve: a ratio over
    /// a figure the counter rounds to nothing says nothing but how fine the counter is.
    /// </summary>
    public static string Ratio(double baseline, double value, double resolution) => value < resolution ? "–" : Ratio(baseline, value);

    /// <summary>Milliseconds with their unit, thousands separated: "2,699 ms", "157 ms", "6.4 ms".</summary>
    public static string Millis(double ms) => (ms >= 1000 ? ms.ToString("N0", Invariant) : Ms(ms)) + " ms";

    /// <summary>"120–157 ms" over several values (lowest–highest), one value when they all format alike.</summary>
    public static string Range(IEnumerable<double> values, Func<double, string> format, string unit = "")
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return "–";
        }

        var (low, high) = (format(sorted[0]), format(sorted[^1]));
        if (low == high)
        {
            return low + unit;
        }

        // "63.4 kB" and "76.7 kB" make "63.4–76.7 kB": the unit once.
        var (lowUnit, highUnit) = (low.LastIndexOf(' '), high.LastIndexOf(' '));
        return lowUnit > 0 && highUnit > 0 && low[lowUnit..] == high[highUnit..]
            ? $"{low[..lowUnit]}–{high}{unit}"
            : $"{low}–{high}{unit}";
    }

    /// <summary><see cref="Range"/> of milliseconds: "120–157 ms", "2,699–3,334 ms".</summary>
    public static string MillisRange(IEnumerable<double> values) =>
        Range(values, ms => ms >= 1000 ? ms.ToString("N0", Invariant) : Ms(ms), " ms");

    /// <summary>A rate in requests per second: "716 requests/s", "51.3 requests/s", "1 request/s".</summary>
    public static string RequestsPerSecond(double rate) => Rate(rate >= 100 ? Math.Round(rate) : rate) + (rate == 1 ? " request/s" : " requests/s");

    /// <summary>A setting's milliseconds as configured (a profile's round trip, the provider's latency): "5 ms", "0.5 ms", "300 ms".</summary>
    public static string Setting(double ms) => ms.ToString("0.##", Invariant) + " ms";

    /// <summary>Bytes in the unit a reader thinks in: "24.5 kB", "2.3 MB", "183 B" (decimal units, as the wire counts).</summary>
    public static string Size(double bytes) => bytes switch
    {
        >= 1_000_000 => (bytes / 1_000_000).ToString("0.0", Invariant) + " MB",
        >= 1_000 => (bytes / 1_000).ToString("0.0", Invariant) + " kB",
        _ => bytes.ToString("0", Invariant) + " B",
    };

    /// <summary>A share as a percentage: 0.5423 → "54 %", 0.995 → "99.5 %" (one decimal below 10 % and above 99 %).</summary>
    public static string Percent(double share) =>
        (share * 100) switch
        {
            var p when p is < 10 or > 99 and < 100 => p.ToString("0.0", Invariant),
            var p => p.ToString("0", Invariant),
        } + " %";

    /// <summary>A date as the log writes it: 2026-11-30.</summary>
    public static string Date(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", Invariant);

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
