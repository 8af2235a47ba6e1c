using System.Text;

namespace PerfReference.LoadLab.Report;

/// <summary>A text without labels (the seed checkout's) is an introduction: it follows the proof as it is.</summary>
public sealed class IntroductionSection : IEntrySection
{
    public void Append(StringBuilder md, EntryContext entry)
    {
        if (entry.Text.Introduction.Length > 0)
        {
            md.Append(entry.Text.Introduction).Append("\n\n");
        }
    }
}
