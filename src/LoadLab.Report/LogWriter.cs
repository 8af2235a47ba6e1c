using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>Reads the results and texts, writes the log's index, its pages and its charts (entries/ and charts/ beside the index), the reliability log and the capacity plan beside it.</summary>
public static class LogWriter
{
    public const string ChartsFolder = "charts";

    /// <summary>The optimization log's file name in docs/.</summary>
    public const string LogFile = "optimizations.md";

    /// <summary>The reliability log's file name, beside it.</summary>
    public const string ReliabilityFile = "reliability.md";

    /// <summary>The hand-written account of where durable state lives (docs/log/durable-state.md), placed in the reliability log.</summary>
    public const string DurableStateText = "durable-state";

    public sealed record Written(string Markdown, int Pages, int Charts, int Results, string Reliability, int Drills, string? Readme = null, string? Scaling = null);

    /// <param name="readmeFile">A README whose findings (between <see cref="ReadmeFindings"/>' markers) are rewritten too.</param>
    public static Written Write(string resultsDirectory, string outFile, string? textsDirectory = null, string? readmeFile = null)
    {
        var docs = Path.GetDirectoryName(Path.GetFullPath(outFile))!;
        var texts = textsDirectory ?? Path.Combine(docs, "log");
        var inputs = LogInputs.Read(resultsDirectory);
        DrillResult? Drill(string path) => (ResultFiles.Drills with { Folder = Path.Combine(ResultFiles.Drills.Folder, path), Depth = 0 })
            .In(resultsDirectory).ReadAll().MaxBy(d => d.StartedUtc);
        var document = new LogGenerator(texts, Drill).Generate(inputs);

        // The charts and pages folders hold exactly the log's: a chart or page nothing links to any more goes.
        Replace(Path.Combine(docs, ChartsFolder), "*.svg", document.Charts);
        Replace(Path.Combine(docs, LogGenerator.PagesFolder), "*.md", document.Pages);
        File.WriteAllText(outFile, document.Markdown);

        // The drills' log beside it (docs/reliability.md), from results/drills/.
        var drills = ResultFiles.Drills.In(resultsDirectory).ReadAll();
        var reliability = Path.Combine(docs, ReliabilityFile);
        var durableState = Path.Combine(texts, DurableStateText + ".md");
        var placeholders = new Placeholders(inputs, Drill);
        File.WriteAllText(reliability, ReliabilityLog.Generate(drills,
            File.Exists(durableState) ? placeholders.Fill(File.ReadAllText(durableState), null, durableState) : null));
        return new Written(Path.GetFullPath(outFile), document.Pages.Count, document.Charts.Count, inputs.Runs.Count, reliability, drills.Count,
            RewriteReadme(readmeFile, inputs), WriteScaling(docs, texts, placeholders));
    }

    /// <summary>The capacity plan (docs/scaling.md) from its text (docs/log/scaling.md), once there is one.</summary>
    private static string? WriteScaling(string docs, string texts, Placeholders placeholders)
    {
        var text = Path.Combine(texts, ScalingPage.File);
        if (!File.Exists(text))
        {
            return null;
        }

        var page = Path.Combine(docs, ScalingPage.File);
        File.WriteAllText(page, ScalingPage.Generate(EntryText.Load(text, requireLabels: false), filled => placeholders.Fill(filled, null, text)));
        return page;
    }

    private static void Replace(string folder, string pattern, IReadOnlyDictionary<string, string> files)
    {
        Directory.CreateDirectory(folder);
        foreach (var stale in Directory.GetFiles(folder, pattern).Where(file => !files.ContainsKey(Path.GetFileName(file))))
        {
            File.Delete(stale);
        }

        foreach (var (name, content) in files)
        {
            File.WriteAllText(Path.Combine(folder, name), content);
        }
    }

    private static string? RewriteReadme(string? readmeFile, LogInputs inputs)
    {
        if (readmeFile is null || !File.Exists(readmeFile) || ReadmeFindings.Rewrite(File.ReadAllText(readmeFile), ReadmeFindings.Markdown(inputs)) is not { } readme)
        {
            return null;
        }

        File.WriteAllText(readmeFile, readme);
        return Path.GetFullPath(readmeFile);
    }
}
