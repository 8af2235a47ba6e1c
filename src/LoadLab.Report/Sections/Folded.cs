using System.Text;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// A table that only some readers need (per link, per process), folded under a one-line summary: HTML's
/// <c>&lt;details&gt;</c>, with blank lines around the Markdown inside so that it renders as Markdown.
/// </summary>
public static class Folded
{
    public static void Append(StringBuilder md, string summary, Action<StringBuilder> body)
    {
        var inner = new StringBuilder();
        body(inner);
        if (inner.Length == 0)
        {
            return;
        }

        md.Append("<details><summary>").Append(summary).Append("</summary>\n\n").Append(inner.ToString().TrimEnd('\n')).Append("\n\n</details>\n\n");
    }
}
