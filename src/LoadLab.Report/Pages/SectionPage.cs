using System.Text;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// A page of the log that is one section of its own (the network links' cost, the overload runs): its hand-written text,
/// docs/log/&lt;name&gt;.md, once there is one, then the section, which says what it measured and how.
/// </summary>
/// <param name="AppendSection">Appends the section without its heading: the page's title is the section's.</param>
public sealed record SectionPage(string Name, string Title, Action<StringBuilder, LogInputs> AppendSection) : ILogPage
{
    public string TextName => Name;

    public string Render(LogInputs inputs, string? text)
    {
        var md = new StringBuilder();
        if (text is not null)
        {
            md.Append(text.Trim()).Append("\n\n");
        }

        AppendSection(md, inputs);
        return md.ToString();
    }
}
