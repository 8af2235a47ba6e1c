using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Drills;

/// <summary>
/// One drill, as written to results/drills/&lt;drill&gt;/&lt;UTC timestamp&gt;.json: the load and the
/// fault, what the clients were answered, the books afterwards and how long the system took to
/// recover. docs/reliability.md is generated from these files.
/// </summary>
public sealed record DrillResult(
    string Drill,
    string Title,
    string Expectation,
    DateTimeOffset StartedUtc,
    DateTimeOffset FinishedUtc,
    double Rate,
    double DurationSeconds,
    string Fault,
    double FaultStartSeconds,
    double FaultEndSeconds,
    long Checkouts,
    long Accepted,
    long Refused,
    long GaveUp,
    long Retried,
    IReadOnlyDictionary<string, long> Answers,
    long ServerErrorsOtherThan503,
    BooksCheck Books,
    double BaselineP99Ms,
    double? RecoverySeconds,
    MachineInfo Machine,
    string Commit,
    string Command)
{
    /// <summary>Nothing lost, nothing charged twice, every balance right, and no 5xx but 503 with Retry-After.</summary>
    public bool Passed => Books.Balanced && ServerErrorsOtherThan503 == 0;
}
