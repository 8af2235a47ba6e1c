using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>Reads the results and texts, writes the log and its charts (charts/ beside the log).</summary>
public static class LogWriter
{
    public const string ChartsFolder = "charts";

    /// <summary>The optimization log's file name in docs/.</summary>
    public const string LogFile = "optimizations.md";

    /// <summary>The reliability log's file name, beside it.</summary>
    public const string ReliabilityFile = "reliability.md";

    public sealed record Written(string Markdown, int Charts, int Results, string Reliability, int Drills, string? Readme = null);

    /// <param name="readmeFile">A README whose headline-ratio table (between <see cref="HeadlineRatios"/>' markers) is rewritten too.</param>
    public static Written Write(string resultsDirectory, string outFile, string? textsDirectory = null, string? readmeFile = null)
    {
        var docs = Path.GetDirectoryName(Path.GetFullPath(outFile))!;
        var results = ResultFiles.Runs.In(resultsDirectory).ReadAll();
        var capacities = ResultFiles.Capacity.In(resultsDirectory).ReadAll();
        var sweeps = ResultFiles.Sweeps.In(resultsDirectory).ReadAll();
        var ceilings = ResultFiles.Ceilings.In(resultsDirectory).ReadAll();
        var proxyCosts = ResultFiles.ProxyCosts.In(resultsDirectory).ReadAll();
        var document = new LogGenerator(textsDirectory ?? Path.Combine(docs, "log"), ChartsFolder) { Traces = RunTraces.ReadAll(resultsDirectory) }.Generate(results, capacities, sweeps, ceilings, proxyCosts);

        // The charts folder holds exactly the log's charts: a chart no section links to any more goes.
        var charts = Directory.CreateDirectory(Path.Combine(docs, ChartsFolder)).FullName;
        foreach (var stale in Directory.GetFiles(charts, "*.svg").Where(file => !document.Charts.ContainsKey(Path.GetFileName(file))))
        {
            File.Delete(stale);
        }

        foreach (var (name, svg) in document.Charts)
        {
            File.WriteAllText(Path.Combine(charts, name), svg);
        }

        File.WriteAllText(outFile, document.Markdown);

        // The drills' log beside it (docs/reliability.md), from results/drills/.
        var drills = ResultFiles.Drills.In(resultsDirectory).ReadAll();
        var reliability = Path.Combine(docs, ReliabilityFile);
        var durableState = Path.Combine(textsDirectory ?? Path.Combine(docs, "log"), "durable-state.md");
        File.WriteAllText(reliability, ReliabilityLog.Generate(drills, File.Exists(durableState) ? File.ReadAllText(durableState) : null));
        return new Written(Path.GetFullPath(outFile), document.Charts.Count, results.Count, reliability, drills.Count, RewriteHeadlines(readmeFile, results));
    }

    private static string? RewriteHeadlines(string? readmeFile, IReadOnlyList<RunResult> results)
    {
        if (readmeFile is null || !File.Exists(readmeFile) || HeadlineRatios.Rewrite(File.ReadAllText(readmeFile), HeadlineRatios.Table(results)) is not { } readme)
        {
            return null;
        }

        File.WriteAllText(readmeFile, readme);
        return Path.GetFullPath(readmeFile);
    }
}
