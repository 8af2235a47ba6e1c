using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// No figure is typed into the log's hand-written texts: every number with a unit in docs/log/*.md is a placeholder that
/// <c>log</c> fills from the results, so that no text can contradict the data.
/// </summary>
public sealed class HandTypedFiguresTests
{
    private static readonly string Texts = Path.Combine(RepositoryRoot.Find() ?? throw new InvalidOperationException("No repository above the test's folder."), "docs", "log");

    public static TheoryData<string> TextFiles()
    {
        var files = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Texts, "*.md").Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            files.Add(file!);
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(TextFiles))]
    public void ATextOfTheLogTypesNoFigure(string file)
    {
        var typed = HandTypedFigures.In(File.ReadAllText(Path.Combine(Texts, file)));

        Assert.True(typed.Count == 0,
            $"docs/log/{file} types figures by hand; name them as placeholders ({{{{p99 optimized}}}}, see src/LoadLab.Report/Texts/Placeholders.cs): " +
            string.Join(", ", typed.Select(t => $"line {t.Line}: {t.Figure}")));
    }

    [Fact]
    public void AFigureIsANumberWithAUnitOfTimeSizeRateOrRatio()
    {
        const string text = """
            The checkout took 157 ms (2.3–3.3 s before), 21× faster, 44 % of it
            at 4 requests/s on 95 kB, growing 33.2 MB/min; 1,000 requests a second.
            """;

        Assert.Equal([(1, "157 ms"), (1, "2.3–3.3 s"), (1, "21×"), (1, "44 %"), (2, "4 requests/s"), (2, "95 kB"), (2, "33.2 MB/min"), (2, "1,000 requests a second")],
            HandTypedFigures.In(text));
    }

    [Fact]
    public void CodePlaceholdersLinksAndNamesAreNoFigures()
    {
        const string text = """
            Run `run n-plus-one-db --rate 4 --duration 150s`; it took {{p99 optimized}} over 200 lines and 50 customers,
            with PBKDF2, 4,096 rounds, v1.15 and [a page](docs/10-ms.md) — see ix_orders_2 ms.

            ```bash
            sleep 5s
            ```
            """;

        Assert.Empty(HandTypedFigures.In(text));
    }
}
