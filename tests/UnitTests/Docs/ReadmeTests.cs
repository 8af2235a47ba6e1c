using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.Docs;

/// <summary>
/// The README is read by someone who has a minute: under two hundred lines, and its first screen says what the project
/// is, the two set-up commands (the second the one CI runs) and what it found — in figures that <c>log</c> wrote there
/// from the committed results, never typed: the findings between the markers are exactly what <c>log</c> writes from
/// results/ (after a new result file, run <c>dotnet run --project src/LoadLab -- log</c>).
/// </summary>
public sealed class ReadmeTests
{
    private const int FirstScreen = 60;

    private static readonly string Root = RepositoryRoot.Find() ?? throw new InvalidOperationException("No repository above the test's folder.");

    private static readonly string Readme = File.ReadAllText(Path.Combine(Root, "README.md"));

    private static readonly string[] Lines = Readme.Split('\n');

    [Fact]
    public void TheReadmeStaysUnderTwoHundredLines() =>
        Assert.True(Lines.Length < 200, $"README.md has {Lines.Length} lines: move what a first reader does not need to a page under docs/");

    [Fact]
    public void ItsFirstScreenNamesTheProjectAndGivesTheTwoCommandsTheSecondTheOneCiRuns()
    {
        var ci = File.ReadAllLines(Path.Combine(Root, ".ci", "run")).Single(line => line.StartsWith("exec ", StringComparison.Ordinal))["exec ".Length..].Trim();
        var firstBlock = Lines.Take(FirstScreen).SkipWhile(line => !line.StartsWith("```", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(line => !line.StartsWith("```", StringComparison.Ordinal)).Select(line => line.Split('#')[0].Trim()).ToArray();

        Assert.StartsWith("# PerfReference", Lines[0]);
        Assert.Equal(["bash scripts/run.sh", ci], firstBlock);
    }

    [Fact]
    public void ItsFirstScreenStatesTheSeedsAssignmentAndTheLargestImprovements()
    {
        var firstScreen = string.Join('\n', Lines.Take(FirstScreen));

        Assert.Contains(ReadmeFindings.StartMarker, firstScreen);
        Assert.Contains("**The seed's assignment", firstScreen);
        Assert.Contains("**The 3 largest improvements**", firstScreen);
        Assert.Contains("\n3. **", firstScreen);
    }

    [Fact]
    public void TheFindingsAreWhatLogWritesFromTheCommittedResults()
    {
        var expected = ReadmeFindings.Rewrite(Readme, ReadmeFindings.Markdown(LogInputs.Read(Path.Combine(Root, "results"))));

        Assert.NotNull(expected);
        Assert.True(expected == Readme,
            "The README's findings are not what `dotnet run --project src/LoadLab -- log` writes from results/: run it (never edit the figures by hand)");
    }
}
