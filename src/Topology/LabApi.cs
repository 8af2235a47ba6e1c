namespace PerfReference.Topology;

/// <summary>
/// The load lab's serve API, which the AppHost's dashboard commands call: its paths, and the bodies they take and give.
/// </summary>
public static class LabApi
{
    /// <summary>POST a <see cref="RunRequest"/>: starts a run in the background (one at a time; 409 while the lab is busy).</summary>
    public const string Runs = "/runs";

    /// <summary>GET: what the lab is doing, and where the last run's result went.</summary>
    public const string CurrentRun = "/runs/current";

    /// <summary>POST a <see cref="DrillRequest"/>: starts a fault drill (409 while the lab is busy).</summary>
    public const string Drills = "/drills";

    /// <summary>GET: the drill running or last started, and the last one's result file and verdict (<c>DrillStatus</c>).</summary>
    public const string CurrentDrill = "/drills/current";

    /// <summary>The optimization record: an index of the entries' headlines, a page per entry under it (entries/&lt;id&gt;), the whole log (log), the charts.</summary>
    public const string Record = "/record/";

    /// <summary>GET: each measured entry's headline by its own proving metric (<see cref="RecordHeadline"/>), the seed checkout first.</summary>
    public const string Headlines = "/record/headlines";
}

/// <summary>The body of <c>POST /runs</c>: what to run; anything left out takes the scenario's own load and the system's profile.</summary>
public sealed record RunRequest(string? Scenario, double? Rate = null, string? Duration = null, string? Profile = null, string? Warmup = null, bool? Journey = null);

/// <summary>The body of <c>POST /drills</c>: which drill; the load takes the lab's defaults when left out.</summary>
public sealed record DrillRequest(string? Drill, double? Rate = null, string? Duration = null);

/// <summary>One entry's headline by its own proving metric ("P99 2,699–3,334 ms → 120–157 ms, 21.5× better"), and where it was measured.</summary>
public sealed record RecordHeadline(string Scenario, string Figure, string Conditions);
