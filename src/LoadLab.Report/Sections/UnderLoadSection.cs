using System.Text;

namespace PerfReference.LoadLab.Report;

/// <summary>The entry under load: the newest capacity search of each profile, service level and mode, and the newest concurrency sweep.</summary>
public sealed class UnderLoadSection : IEntrySection
{
    public void Append(StringBuilder md, EntryContext entry)
    {
        var history = entry.History;
        if (history.Capacities.Count == 0 && history.Sweeps.Count == 0)
        {
            return;
        }

        md.Append("## Under load\n\n");
        CapacitySections.Append(md, entry.Charts, EntryContext.ChartsLink, history.Capacities);
        SweepSections.Append(md, history.Sweeps);
    }
}
