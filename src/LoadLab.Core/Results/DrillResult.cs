using System.Text.Json.Serialization;

namespace PerfReference.LoadLab.Results;

/// <summary>
/// One drill, as written to results/drills/&lt;drill&gt;/&lt;UTC timestamp&gt;.json: the header, the load and the fault, what
/// the clients were answered, the books afterwards and how long the system took to recover — in all and, since the drills
/// count availability, per variant. docs/reliability.md is generated from these files.
/// </summary>
public sealed record DrillResult : ResultHeader
{
    public required string Drill { get; init; }

    public required string Title { get; init; }

    public required string Expectation { get; init; }

    /// <summary>Checkouts started per second.</summary>
    public required double Rate { get; init; }

    public required double DurationSeconds { get; init; }

    /// <summary>The fault, in words (what was killed, dropped or slowed, and how).</summary>
    public required string Fault { get; init; }

    public required double FaultStartSeconds { get; init; }

    public required double FaultEndSeconds { get; init; }

    public required long Checkouts { get; init; }

    public required long Accepted { get; init; }

    public required long Refused { get; init; }

    public required long GaveUp { get; init; }

    public required long Retried { get; init; }

    /// <summary>Every attempt's answer (a status code, a timeout, no connection), with how often it came.</summary>
    public required IReadOnlyDictionary<string, long> Answers { get; init; }

    public required long ServerErrorsOtherThan503 { get; init; }

    public required BooksCheck Books { get; init; }

    public required double BaselineP99Ms { get; init; }

    public double? RecoverySeconds { get; init; }

    /// <summary>
    /// Each variant's checkouts, availability and books (<see cref="DrillVariant"/>). Absent in files written before the
    /// drills counted availability: those were judged by the books alone, and the log says they predate the rule.
    /// </summary>
    public IReadOnlyList<DrillVariant>? Variants { get; init; }

    /// <summary>
    /// Whether OrdersService shed load past its limit during the drill (its admission control, as it reported it before the
    /// load: "on, 40 in flight", "off"); null when it could not say (a file from before, a service without the lab's diagnostics).
    /// </summary>
    public string? Admission { get; init; }

    /// <summary>Whether the drill was judged by the availability rule as well as by the books (files since the rule: yes).</summary>
    [JsonIgnore]
    public bool CountsAvailability => Variants is not null;

    /// <summary>
    /// Orders stored whose checkout the client never saw acknowledged (it gave up, or its last answer was an error): the
    /// books balance — the order is whole and paid — but the customer does not know it went through.
    /// </summary>
    [JsonIgnore]
    public long StoredButUnacknowledged => Math.Max(0, Books.StoredOrders - (Accepted - Books.LostOrders));

    /// <summary>
    /// Nothing lost, nothing charged twice, every balance right, no 5xx but 503 with Retry-After — and, since the drills
    /// count availability, every variant available (<see cref="DrillVariant.Passed"/>). A file from before was judged by the
    /// books alone; <see cref="CountsAvailability"/> tells the two apart.
    /// </summary>
    public bool Passed => Books.Balanced && ServerErrorsOtherThan503 == 0 && (Variants?.All(variant => variant.Passed) ?? true);
}

/// <summary>
/// One variant's share of a drill (its checkouts alternate with the other's, each customer ordering with one variant only,
/// so each variant's orders, payments and balances are its own): what its clients were answered, how long it took to be
/// itself again after the fault, and its books.
/// </summary>
/// <param name="Variant">The variant as X-Perf-Variant names it: "naive", "optimized".</param>
/// <param name="GaveUp">Checkouts that got no answer but errors (503 after 503, timeouts) until the client gave up.</param>
/// <param name="StoredButUnacknowledged">Orders stored whose checkout the client never saw acknowledged: reported, not a failure of the books.</param>
/// <param name="BaselineP99Ms">The P99 of the variant's checkouts that were over before the fault began.</param>
/// <param name="RecoverySeconds">From the fault's end to the first 5 s window of its checkouts back within twice the baseline with none given up; null when never within the run.</param>
/// <param name="Books">The books of the variant's orders and customers (money charged or held with no order at all that names none of its customers is the drill's alone).</param>
public sealed record DrillVariant(
    string Variant,
    long Checkouts,
    long Accepted,
    long Refused,
    long GaveUp,
    long StoredButUnacknowledged,
    double BaselineP99Ms,
    double? RecoverySeconds,
    BooksCheck Books)
{
    public double GaveUpPercent => Checkouts == 0 ? 0 : Math.Round(100.0 * GaveUp / Checkouts, 2);

    /// <summary>At most <see cref="AvailabilityRule.MaxGaveUpPercent"/> % given up, and back within the rule's time after the fault.</summary>
    public bool Available => GaveUpPercent <= AvailabilityRule.MaxGaveUpPercent
        && RecoverySeconds is { } seconds && seconds <= AvailabilityRule.RecoveryWithin.TotalSeconds;

    public bool Passed => Available && Books.Balanced;
}

/// <summary>
/// What a drill's availability must be, per variant, besides balanced books: few checkouts given up, and the latency
/// back to normal soon after the fault's end. A drill that balances its books while its customers give up in droves has
/// not passed: the orders they gave up on are stored and paid, and they do not know it.
/// </summary>
public static class AvailabilityRule
{
    /// <summary>At most this share of a variant's checkouts may be given up.</summary>
    public const double MaxGaveUpPercent = 1;

    /// <summary>The P99 a window of checkouts must be back under, as a multiple of the P99 before the fault.</summary>
    public const double P99OfBaseline = 2;

    /// <summary>How soon after the fault's end the P99 must be back.</summary>
    public static readonly TimeSpan RecoveryWithin = TimeSpan.FromSeconds(10);
}

/// <summary>What the books said after a drill: every figure that must be zero, and what it was.</summary>
public sealed record BooksCheck(
    long StoredOrders,
    long LostOrders,
    long HalfWritten,
    long Unsettled,
    long DoubleCharges,
    long ChargedWithoutOrder,
    long HeldWithoutOrder,
    long UncapturedPaidOrders,
    long WrongBalances,
    IReadOnlyList<string> Findings)
{
    public bool Balanced => LostOrders + HalfWritten + Unsettled + DoubleCharges + ChargedWithoutOrder + HeldWithoutOrder + UncapturedPaidOrders + WrongBalances == 0;
}
