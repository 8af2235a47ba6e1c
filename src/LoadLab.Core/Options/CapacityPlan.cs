using System.Globalization;

namespace PerfReference.LoadLab.Options;

/// <summary>How the variants share the climb: all at once (interleaved), or each with the system to itself (phased).</summary>
public enum CapacityMode
{
    /// <summary>Each variant on its own, one after another: the figure to quote, since a saturated variant slows its neighbour.</summary>
    Phased,

    /// <summary>The variants interleaved round-robin, as a run interleaves them: finds the rate from which interleaved figures stop being valid.</summary>
    Interleaved,
}

/// <summary>
/// A capacity search: the open-loop rate starts at <see cref="StartRate"/> and is multiplied by
/// <see cref="Factor"/> after every step of <see cref="Step"/>, up to <see cref="MaxRate"/>, until a
/// variant breaks the service level — its P99 over <see cref="SloP99Ms"/> or more than
/// <see cref="MaxErrorPercent"/> % of its requests failing. Rates are per variant: in an
/// interleaved step every variant is offered the step's rate, so the system takes that times the
/// number of variants.
/// </summary>
public sealed record CapacityPlan(double StartRate, double Factor, double MaxRate, TimeSpan Step, double SloP99Ms, double MaxErrorPercent)
{
    /// <summary>The rates the climb offers, in order: the start rate, then each times the factor (to 0.1 rps), never above the maximum.</summary>
    public IReadOnlyList<double> Rates()
    {
        var rates = new List<double>();
        for (var rate = StartRate; Math.Round(rate, 1) <= MaxRate; rate *= Factor)
        {
            var rounded = Math.Round(rate, 1);
            if (rates.Count == 0 || rounded > rates[^1])
            {
                rates.Add(rounded);
            }
        }

        return rates;
    }

    /// <summary>Whether one variant's step kept the service level, and if not, why (in words for the table).</summary>
    public StepVerdict Judge(long requests, long errors, double p99Ms)
    {
        if (requests == 0)
        {
            return StepVerdict.Broke("no request was answered");
        }

        var errorPercent = 100.0 * errors / requests;
        if (errorPercent > MaxErrorPercent)
        {
            return StepVerdict.Broke(string.Create(CultureInfo.InvariantCulture, $"{errorPercent:0.#} % errors > {MaxErrorPercent:0.##} %"));
        }

        return p99Ms > SloP99Ms
            ? StepVerdict.Broke(string.Create(CultureInfo.InvariantCulture, $"P99 {p99Ms:0} ms > {SloP99Ms:0} ms"))
            : StepVerdict.Held;
    }

    /// <summary>
    /// A variant's capacity from its steps in the order they ran: the highest rate it held before
    /// its first confirmed break, or null when it broke at the first rate. A break is confirmed when
    /// the step run again at the same rate breaks too (the climb repeats a broken step once): a
    /// single stall — a GC pause, a noisy neighbour on a shared machine — is not a capacity.
    /// <paramref name="bounded"/> is false when it never broke — then the capacity is a lower bound
    /// (the climb ran out of rates).
    /// </summary>
    public static double? Sustained(IReadOnlyList<(double Rate, bool Held)> steps, out bool bounded)
    {
        double? sustained = null;
        bounded = false;
        for (var i = 0; i < steps.Count; i++)
        {
            var (rate, held) = steps[i];
            if (!held && !IsUnconfirmedBreak(steps, i))
            {
                bounded = true;
                break;
            }

            if (held)
            {
                sustained = rate;
            }
        }

        return sustained;
    }

    /// <summary>A broken step whose repeat at the same rate held: the climb goes on.</summary>
    public static bool IsUnconfirmedBreak(IReadOnlyList<(double Rate, bool Held)> steps, int index) =>
        !steps[index].Held && index + 1 < steps.Count && steps[index + 1].Rate == steps[index].Rate && steps[index + 1].Held;
}

/// <summary>One variant's verdict on one step.</summary>
public sealed record StepVerdict(bool IsHeld, string? Reason)
{
    public static StepVerdict Held { get; } = new(true, null);

    public static StepVerdict Broke(string reason) => new(false, reason);
}
