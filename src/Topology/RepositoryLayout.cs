namespace PerfReference.Topology;

/// <summary>The folders of the repository the lab and the AppHost share: where result files land and where the log is written.</summary>
public static class RepositoryLayout
{
    /// <summary>The file that marks the repository's root.</summary>
    public const string SolutionFile = "PerfReference.sln";

    /// <summary>Every result file of the lab, below the root.</summary>
    public const string Results = "results";

    /// <summary>The generated logs (optimizations.md, reliability.md, their charts) and the hand-written texts (log/), below the root.</summary>
    public const string Docs = "docs";
}
