namespace PerfReference.LoadLab.Results;

/// <summary>
/// One drill, as written to results/drills/&lt;drill&gt;/&lt;UTC timestamp&gt;.json: the header, the load and the fault, what
/// the clients were answered, the books afterwards and how long the system took to recover. docs/reliability.md is
/// generated from these files.
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

    /// <summary>Nothing lost, nothing charged twice, every balance right, and no 5xx but 503 with Retry-After.</summary>
    public bool Passed => Books.Balanced && ServerErrorsOtherThan503 == 0;
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
