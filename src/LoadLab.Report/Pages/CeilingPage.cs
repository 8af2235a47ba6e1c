using System.Text;

namespace PerfReference.LoadLab.Report;

/// <summary>The ceiling and the cost of telemetry: a page of its own, from results/ceiling/ and docs/log/ceiling.md.</summary>
public sealed class CeilingPage : ILogPage
{
    public string Name => "ceiling";

    public string Title => CeilingSections.Title;

    public string TextName => LogGenerator.CeilingText;

    public string Render(LogInputs inputs, string? text)
    {
        var md = new StringBuilder();
        CeilingSections.Append(md, inputs.Ceilings, text, heading: false);
        return md.ToString();
    }
}
