using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// What a run's condition says: the note the run was given (another setup — PgBouncer in between, the index dropped,
/// another payload — that the log keeps apart, or a mark of how well it was measured: the lab's own lateness in the
/// P99, a machine shared with builds), and the lab's own mark of links slower than their profile, which it appends
/// after "; " (<see cref="LinkRoundTrip.Mark"/>). Marks are shown beside the figures but make no other measurement.
/// </summary>
public static class RunMarks
{
    /// <summary>Runs from before dc23510: the P99 counted the lab's own lateness. Their latencies are not quoted.</summary>
    public const string LabLateness = "P99 includes the lab's own lateness";

    /// <summary>A run taken while other work shared the machine: its latencies are not the system's.</summary>
    public const string SharedMachine = "machine shared";

    /// <summary>A variant that failed more than this share of its requests makes the run unusable: nothing of it is quoted.</summary>
    public const double MostErrors = 0.01;

    public static IEnumerable<string> Notes(string? condition)
    {
        if (condition is null)
        {
            return [];
        }

        const string slow = "; " + LinkRoundTrip.SlowerThanProfile;
        return condition == LinkRoundTrip.SlowerThanProfile ? [condition]
            : condition.EndsWith(slow, StringComparison.Ordinal) ? [condition[..^slow.Length], LinkRoundTrip.SlowerThanProfile]
            : [condition];
    }

    public static bool IsMark(string note) =>
        note == LinkRoundTrip.SlowerThanProfile || note.StartsWith(LabLateness, StringComparison.Ordinal) || note.StartsWith(SharedMachine, StringComparison.Ordinal);

    /// <summary>The notes that make a run another measurement (null for the scenario as the lab runs it by default).</summary>
    public static string? SetupOf(string? condition) =>
        string.Join("; ", Notes(condition).Where(note => !IsMark(note))) is { Length: > 0 } setup ? setup : null;

    /// <summary>The marks of how well it was measured.</summary>
    public static IReadOnlyList<string> MarksOf(string? condition) => [.. Notes(condition).Where(IsMark)];

    public static bool SlowLinks(MeasurementHeader result) => Notes(result.Condition).Contains(LinkRoundTrip.SlowerThanProfile);

    /// <summary>A run whose P99 counted the lab's own lateness: its measurement is known to be off, and any other run of its setup replaces it.</summary>
    public static bool LabLate(MeasurementHeader result) => Notes(result.Condition).Any(note => note.StartsWith(LabLateness, StringComparison.Ordinal));

    /// <summary>A run whose latencies the log quotes: none of its marks says they are off.</summary>
    public static bool LatenciesHold(MeasurementHeader result) =>
        !Notes(result.Condition).Any(note => note.StartsWith(LabLateness, StringComparison.Ordinal) || note.StartsWith(SharedMachine, StringComparison.Ordinal));

    /// <summary>A run in which a variant failed more than <see cref="MostErrors"/> of its requests: never quoted, listed with the earlier runs.</summary>
    public static bool Failed(RunResult run) => run.Variants.Any(v => v.Count == 0 || v.Errors > v.Count * MostErrors);
}
