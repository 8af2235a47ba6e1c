using System.Text;

namespace PerfReference.LoadLab.Report;

/// <summary>What the network links cost: the latency proxy measured like a catalog entry, a page of its own, from results/proxy/.</summary>
public sealed class NetworkLinksPage : ILogPage
{
    public string Name => "network-links";

    public string Title => ProxyCostSection.Title;

    /// <summary>Its hand-written text, docs/log/network-links.md, once there is one; the section says what it measured and how.</summary>
    public string TextName => Name;

    public string Render(LogInputs inputs, string? text)
    {
        var md = new StringBuilder();
        if (text is not null)
        {
            md.Append(text.Trim()).Append("\n\n");
        }

        ProxyCostSection.Append(md, inputs.ProxyCosts, heading: false);
        return md.ToString();
    }
}
