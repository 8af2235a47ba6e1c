using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// The log and the data cannot drift apart: the committed optimization log — its index, a page per entry, its charts — and the capacity plan are
/// byte for byte what <c>log</c> writes from the committed results/ and docs/log/ texts. A new result file, a changed text
/// or a change of the lab's report code fails here until <c>dotnet run --project src/LoadLab -- log</c> has been run and
/// its output committed.
/// </summary>
public sealed class CommittedLogTests
{
    private static readonly string Root = RepositoryRoot.Find() ?? throw new InvalidOperationException("No repository above the test's folder.");

    [Fact]
    public void TheCommittedLogIsWhatLogWritesFromTheCommittedResultsAndTexts()
    {
        var docs = Path.Combine(Root, "docs");
        var output = Directory.CreateTempSubdirectory("perfref-committed-log-").FullName;
        LogWriter.Write(Path.Combine(Root, "results"), Path.Combine(output, LogWriter.LogFile), Path.Combine(docs, "log"));

        var different = LogFiles(docs).Union(LogFiles(output)).Order(StringComparer.Ordinal)
            .Where(file => !File.Exists(Path.Combine(docs, file)) || !File.Exists(Path.Combine(output, file))
                           || !File.ReadAllBytes(Path.Combine(docs, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(output, file))))
            .ToArray();

        Assert.True(different.Length == 0,
            $"docs/ is not what `dotnet run --project src/LoadLab -- log` writes from results/ (written to {output}): {string.Join(", ", different)}");
        Directory.Delete(output, recursive: true);
    }

    /// <summary>The log's own files under a docs folder: the index, the capacity plan, the entries' pages and the charts.</summary>
    private static IEnumerable<string> LogFiles(string docs) =>
        new[] { LogGenerator.PagesFolder, LogWriter.ChartsFolder }
            .Select(folder => Path.Combine(docs, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder))
            .Select(file => Path.GetRelativePath(docs, file))
            .Prepend(ScalingPage.File)
            .Prepend(LogWriter.LogFile);
}
