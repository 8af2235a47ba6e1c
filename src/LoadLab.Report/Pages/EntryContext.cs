using System.Text;
using PerfReference.Performance;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// What a section of an entry's page knows while it is written: the entry, its measurements sorted into current and
/// earlier, its headline, its hand-written text (placeholders filled), the goals' texts, and where its charts go.
/// </summary>
public sealed class EntryContext(
    string id, int number, int count, LogInputs inputs, EntryText text, IReadOnlyDictionary<string, string> goalTexts,
    IDictionary<string, string> charts)
{
    /// <summary>Where the charts are, from an entry's page.</summary>
    public const string ChartsLink = "../" + LogWriter.ChartsFolder;

    /// <summary>The log's index, from an entry's page.</summary>
    public const string IndexLink = "../" + LogWriter.LogFile;

    public string Id { get; } = id;

    /// <summary>The entry's place in the log (1 for the first catalog entry; 0 for the seed checkout, which opens it).</summary>
    public int Number { get; } = number;

    public int Count { get; } = count;

    public PerfEntry? Entry { get; } = PerfCatalog.Find(id);

    public string Title => Entry?.Title ?? "The seed checkout: everything naive against everything optimized";

    public LogInputs Inputs { get; } = inputs;

    public RunHistory History => Inputs.HistoryOf(Id);

    public ProvingMetric Metric => ProvingMetrics.For(Id);

    public Quote? Headline => Metric.Quote(Inputs, Id);

    public EntryText Text { get; } = text;

    /// <summary>What stands in the way of each goal, by goal key (docs/log/goals.md).</summary>
    public IReadOnlyDictionary<string, string> GoalTexts { get; } = goalTexts;

    /// <summary>The charts the page links to, by file name (written to docs/charts/).</summary>
    public IDictionary<string, string> Charts { get; } = charts;

    /// <summary>The current setups, the one the headline quotes first.</summary>
    public IReadOnlyList<SetupRuns> CurrentSetups
    {
        get
        {
            var headline = ProvingMetric.PairSetup(Inputs, Id, Metric.ClientProfile);
            return [.. History.Quoted.OrderBy(s => s == headline ? 0 : 1)];
        }
    }
}

/// <summary>
/// One section of an entry's page. A new section is one class in Sections/ and one line in
/// <see cref="LogGenerator.EntrySections"/>; it writes nothing where it has nothing to say.
/// </summary>
public interface IEntrySection
{
    void Append(StringBuilder md, EntryContext entry);
}
