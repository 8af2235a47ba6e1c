using System.Text;

namespace PerfReference.LoadLab.Report;

/// <summary>The top of an entry's page: what the naive code and the fix are, and the entry's proof in one line, by its own metric.</summary>
public sealed class ProofSection : IEntrySection
{
    public void Append(StringBuilder md, EntryContext entry)
    {
        if (entry.Entry is { } catalog)
        {
            md.Append("**Naive:** ").Append(catalog.Naive).Append(". **Optimized:** ").Append(catalog.Optimized)
                .Append(". **Proved by:** ").Append(entry.Metric.Name).Append(".\n\n");
        }

        md.Append(entry.Headline is { } q
            ? $"> **{char.ToUpperInvariant(q.Metric[0])}{q.Metric[1..]}: {q.Naive} naive → {q.Optimized} optimized, {q.Ratio} better** — {q.Conditions}; {q.Count}, the newest on {Figures.Date(q.Newest)}" +
              $"{(q.SlowLinks ? $" ({Mark.SlowLinks.Symbol} links slower than their profile)" : "")}{string.Concat(q.Notes.Select(n => $" ({n})"))}.\n\n"
            : "> Not measured yet by its proving metric.\n\n");
    }
}
