using PerfReference.LoadLab.Report;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// Everything <c>log</c> writes — the optimization log, its charts, the reliability log and the README's headline table —
/// from a committed sample of real result files of every kind (runs, a journey, phased runs with runtime figures and heap
/// dumps, capacity searches, a sweep, ceilings with telemetry on, off and sampled, drills) and the entry texts: byte for
/// byte the committed output (Fixtures/golden/expected). A change of the lab's code that changes a byte of the log fails here.
/// </summary>
public sealed class GoldenLogTests
{
    private static readonly string Golden = Path.Combine(AppContext.BaseDirectory, "LoadLab", "Fixtures", "golden");

    [Fact]
    public void TheLogOfTheSampleResultsIsByteForByteTheCommittedOne()
    {
        var output = Directory.CreateTempSubdirectory("perfref-golden-").FullName;
        var docs = Directory.CreateDirectory(Path.Combine(output, "docs")).FullName;
        var readme = Path.Combine(output, "README.md");
        File.Copy(Path.Combine(Golden, "README.md"), readme);

        LogWriter.Write(Path.Combine(Golden, "results"), Path.Combine(docs, "optimizations.md"), Path.Combine(Golden, "log"), readme);

        var expected = Path.Combine(Golden, "expected");
        var written = Files(output);
        Assert.Equal(Files(expected), written);
        var different = written.Where(file => !File.ReadAllBytes(Path.Combine(expected, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(output, file)))).ToArray();
        Assert.True(different.Length == 0, $"These differ from {expected} (the output is in {output}): {string.Join(", ", different)}");
        Directory.Delete(output, recursive: true);
    }

    private static string[] Files(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(file => Path.GetRelativePath(root, file)).Order(StringComparer.Ordinal)];
}
