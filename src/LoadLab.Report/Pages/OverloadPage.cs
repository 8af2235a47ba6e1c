using System.Text;

namespace PerfReference.LoadLab.Report;

/// <summary>The overload runs (issue 25): what admission control does with load past the capacity, a page of its own, from results/overload/.</summary>
public sealed class OverloadPage : ILogPage
{
    public string Name => "overload";

    public string Title => OverloadSection.Title;

    /// <summary>Its hand-written text, docs/log/overload.md, once there is one; the section says what it measured and how.</summary>
    public string TextName => Name;

    public string Render(LogInputs inputs, string? text)
    {
        var md = new StringBuilder();
        if (text is not null)
        {
            md.Append(text.Trim()).Append("\n\n");
        }

        OverloadSection.Append(md, inputs.Overloads, heading: false);
        return md.ToString();
    }
}
