using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Log;

/// <summary>Reads the results and texts, writes the log and its charts (charts/ beside the log).</summary>
public static class LogWriter
{
    public const string ChartsFolder = "charts";

    public sealed record Written(string Markdown, int Charts, int Results);

    public static Written Write(string resultsDirectory, string outFile, string? textsDirectory = null)
    {
        var docs = Path.GetDirectoryName(Path.GetFullPath(outFile))!;
        var results = new ResultStore(resultsDirectory).ReadAll();
        var document = new LogGenerator(textsDirectory ?? Path.Combine(docs, "log"), ChartsFolder).Generate(results);

        Directory.CreateDirectory(Path.Combine(docs, ChartsFolder));
        foreach (var (name, svg) in document.Charts)
        {
            File.WriteAllText(Path.Combine(docs, ChartsFolder, name), svg);
        }

        File.WriteAllText(outFile, document.Markdown);
        return new Written(Path.GetFullPath(outFile), document.Charts.Count, results.Count);
    }
}
