
namespace PerfReference.LoadLab.Report;

/// <summary>
/// The hand-written part of an entry (docs/log/&lt;entry-id&gt;.md): what no measurement can say —
/// the symptom, how it is detected, the root cause, the fix and the regression guard.
/// </summary>
public static class EntryText
{
    public static IReadOnlyList<string> RequiredLabels { get; } =
        ["**Symptom.**", "**Detection.**", "**Root cause.**", "**Fix.**", "**Regression guard.**"];

    /// <summary>The text with "\n" line endings, or a clear error naming the file and the first missing label.</summary>
    public static string Load(string path, bool requireLabels = true)
    {
        var text = File.ReadAllText(path).Replace("\r\n", "\n").Trim('\n');
        if (requireLabels && RequiredLabels.FirstOrDefault(label => !text.Contains(label, StringComparison.Ordinal)) is { } missing)
        {
            throw new LabInputException($"{path} has no {missing} paragraph; an entry's text needs {string.Join(", ", RequiredLabels)}.");
        }

        return text;
    }
}
