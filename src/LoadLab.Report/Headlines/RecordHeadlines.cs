using PerfReference.Topology;

namespace PerfReference.LoadLab.Report;

/// <summary>The headline of each measured entry as the dashboard shows it in the loadlab resource's details: by its own proving metric.</summary>
public static class RecordHeadlines
{
    public static IReadOnlyList<RecordHeadline> Of(LogInputs inputs) =>
    [
        .. ProvingMetrics.Quotes(inputs).Select(q => new RecordHeadline(q.Scenario,
            $"{q.Metric} {q.Naive} → {q.Optimized}, {q.Median} better",
            $"{Strip(q.Conditions)}; {q.Count}, the newest {Figures.Date(q.Newest)}")),
    ];

    /// <summary>The conditions without Markdown's code marks: a property is plain text.</summary>
    private static string Strip(string markdown) => markdown.Replace("`", "", StringComparison.Ordinal);
}
