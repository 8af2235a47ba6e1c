
namespace PerfReference.LoadLab.Report;

/// <summary>
/// The hand-written part of an entry (docs/log/&lt;entry-id&gt;.md): what no measurement can say — the symptom, how it is
/// detected, the root cause, the fix and the regression guard, each a paragraph opening with its label (more paragraphs
/// may follow a label's first; they belong to it) — and an introduction before the first label, for texts without labels.
/// </summary>
public sealed record EntryText(string Introduction, IReadOnlyDictionary<string, string> Labelled)
{
    public const string Symptom = "Symptom";
    public const string Detection = "Detection";
    public const string RootCause = "Root cause";
    public const string Fix = "Fix";
    public const string RegressionGuard = "Regression guard";

    public static IReadOnlyList<string> Labels { get; } = [Symptom, Detection, RootCause, Fix, RegressionGuard];

    public static IReadOnlyList<string> RequiredLabels { get; } = [.. Labels.Select(Bold)];

    public static EntryText Empty { get; } = new("", new Dictionary<string, string>());

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

    /// <summary>The text split at its labels: each label's paragraphs, and what comes before the first.</summary>
    public static EntryText Parse(string text)
    {
        var labelled = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var introduction = new List<string>();
        List<string>? current = null;
        foreach (var paragraph in text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Labels.FirstOrDefault(label => paragraph.StartsWith(Bold(label), StringComparison.Ordinal)) is { } label)
            {
                labelled[label] = current = [];
            }

            (current ?? introduction).Add(paragraph);
        }

        return new EntryText(string.Join("\n\n", introduction),
            labelled.ToDictionary(p => p.Key, p => string.Join("\n\n", p.Value), StringComparer.Ordinal));
    }

    /// <summary>The label's paragraphs; null when the text has none.</summary>
    public string? Of(string label) => Labelled.GetValueOrDefault(label);

    private static string Bold(string label) => $"**{label}.**";
}
