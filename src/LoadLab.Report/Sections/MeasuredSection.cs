using System.Text;

namespace PerfReference.LoadLab.Report;

/// <summary>Before and after: the current runs of every setup, the one the headline quotes first.</summary>
public sealed class MeasuredSection : IEntrySection
{
    public void Append(StringBuilder md, EntryContext entry)
    {
        var setups = entry.CurrentSetups;
        if (setups.Count == 0)
        {
            return;
        }

        md.Append("## Before and after\n\n");
        md.Append("The newest runs of each setup (up to three at one rate, for the spread of the ratios); absolute figures are this machine's, " +
                  "the ratios are what carries over. Runs they replaced are listed at the bottom of the page.\n\n");
        foreach (var setup in setups)
        {
            RunSections.Append(md, entry.Charts, setup);
        }
    }
}
