using System.Text;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// Paragraphs of the entry's hand-written text under a heading of the page — what the naive code does (the symptom and
/// the root cause), the fix, the regression guard — or nothing where the text has none of them.
/// </summary>
public sealed class TextSection(string heading, params string[] labels) : IEntrySection
{
    public void Append(StringBuilder md, EntryContext entry)
    {
        var paragraphs = labels.Select(entry.Text.Of).OfType<string>().ToArray();
        if (paragraphs.Length > 0)
        {
            md.Append("## ").Append(heading).Append("\n\n").AppendJoin("\n\n", paragraphs).Append("\n\n");
        }
    }
}
