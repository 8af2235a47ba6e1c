namespace PerfReference.LoadLab.Results;

/// <summary>A result's condition is one line of notes, each kept apart from the others by a semicolon.</summary>
public static class RunConditions
{
    /// <summary>The condition with <paramref name="added"/> after it (either may be absent).</summary>
    public static string? Join(string? condition, string? added) =>
        added is null ? condition : condition is null ? added : $"{condition}; {added}";
}
