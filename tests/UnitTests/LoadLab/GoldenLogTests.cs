using PerfReference.LoadLab.Report;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// Everything <c>log</c> writes — the optimization log's index, a page per entry and its charts, the reliability log and
/// the README's findings — from a committed sample of real result files of every kind (runs, a journey, phased runs with
/// runtime figures and heap dumps, a soak, capacity searches, a sweep, ceilings with telemetry on, off and sampled,
/// drills) and the entry texts with their placeholders: byte for byte the committed output (Fixtures/golden/expected),
/// and the same bytes twice. A change of the lab's code that changes a byte of the log fails here; to accept it, review
/// the output the failure names against Fixtures/golden/expected and copy it over.
/// </summary>
public sealed class GoldenLogTests
{
    private static readonly string Golden = Path.Combine(AppContext.BaseDirectory, "LoadLab", "Fixtures", "golden");

    [Fact]
    public void TheLogOfTheSampleResultsIsByteForByteTheCommittedOne()
    {
        var output = Write();
        var expected = Path.Combine(Golden, "expected");

        var written = Files(output);
        var different = Files(expected).Union(written).Order(StringComparer.Ordinal)
            .Where(file => !File.Exists(Path.Combine(expected, file)) || !File.Exists(Path.Combine(output, file))
                           || !File.ReadAllBytes(Path.Combine(expected, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(output, file))))
            .ToArray();
        Assert.True(different.Length == 0, $"These differ from {expected} (the output is in {output}): {string.Join(", ", different)}");
        Directory.Delete(output, recursive: true);
    }

    [Fact]
    public void TheSameSampleGivesTheSameBytesTwice()
    {
        var (first, second) = (Write(), Write());

        Assert.Equal(Files(first), Files(second));
        Assert.All(Files(first), file => Assert.True(File.ReadAllBytes(Path.Combine(first, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second, file))), file));
        Directory.Delete(first, recursive: true);
        Directory.Delete(second, recursive: true);
    }

    private static string Write()
    {
        var output = Directory.CreateTempSubdirectory("perfref-golden-").FullName;
        var docs = Directory.CreateDirectory(Path.Combine(output, "docs")).FullName;
        var readme = Path.Combine(output, "README.md");
        File.Copy(Path.Combine(Golden, "README.md"), readme);
        LogWriter.Write(Path.Combine(Golden, "results"), Path.Combine(docs, "optimizations.md"), Path.Combine(Golden, "log"), readme);
        return output;
    }

    private static string[] Files(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(file => Path.GetRelativePath(root, file)).Order(StringComparer.Ordinal)];
}
