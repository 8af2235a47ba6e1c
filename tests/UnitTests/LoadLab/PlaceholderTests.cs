using PerfReference.LoadLab;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>The texts' figures: each placeholder filled from the results with its unit; an unknown one an error naming it and its file.</summary>
public sealed class PlaceholderTests
{
    private static readonly LogInputs Inputs = new(
        [RunHistoryTests.Run("n-plus-one-db", 0, naiveMs: 100), RunHistoryTests.Run("n-plus-one-db", 1, naiveMs: 200), BoundTests.SeedCheckout()],
        [GoalsSectionTests.Capacity(22.8, sloMs: 50)]);

    [Theory]
    [InlineData("{{p99 optimized}}", "29.6 ms")]
    [InlineData("{{p99 naive}}", "296–592 ms")]
    [InlineData("{{p99 naive median}}", "444 ms")]
    [InlineData("{{p99 naive newest}}", "592 ms")]
    [InlineData("{{ratio p99}}", "10.0–20.0×")]
    [InlineData("{{grain-calls optimized}}", "1")]
    [InlineData("{{runs}} runs at {{rate}}, {{requests}} requests a variant", "2 runs at 20 requests/s, 301 requests a variant")]
    [InlineData("{{seed-checkout: bound naive}}", "1,861 ms")]
    [InlineData("{{seed-checkout: link-median}}", "6.00–10.0 ms")]
    [InlineData("{{seed-checkout: capacity optimized 50ms}} until {{seed-checkout: broke-at optimized 50ms}}", "22.8 requests/s until 34.2 requests/s")]
    [InlineData("{{profile seed}} a round trip, {{bandwidth mobile}}, the provider {{provider-latency}}", "5 ms a round trip, 1.5 Mbit/s, the provider 300 ms")]
    [InlineData("{{seed-checkout: p99 optimized journey}}", "(not measured yet)")]
    public void APlaceholderIsTheFigureWithItsUnit(string text, string expected) =>
        Assert.Equal(expected, new Placeholders(Inputs).Fill(text, "n-plus-one-db", "docs/log/n-plus-one-db.md"));

    [Theory]
    [InlineData("{{p98 optimized}}")]
    [InlineData("{{no-such-entry: p99 optimized}}")]
    [InlineData("{{ }}")]
    public void AnUnknownPlaceholderIsAnErrorThatNamesItAndItsFile(string text)
    {
        var error = Assert.Throws<LabInputException>(() => new Placeholders(Inputs).Fill($"Before {text} after.", "n-plus-one-db", "docs/log/n-plus-one-db.md"));

        Assert.Contains(text.Replace("{{ }}", "{{}}", StringComparison.Ordinal), error.Message);
        Assert.Contains("docs/log/n-plus-one-db.md", error.Message);
    }

    [Fact]
    public void AFigureWithoutItsSubjectIsAnErrorInATextOfNoEntry() =>
        Assert.Contains("names no scenario", Assert.Throws<LabInputException>(() => new Placeholders(Inputs).Fill("{{p99 naive}}", null, "docs/log/goals.md")).Message);

    [Fact]
    public void ADrillsFiguresComeFromItsNewestResult()
    {
        var drill = new DrillResult
        {
            Drill = "redis-restart",
            Title = "Redis is killed and started again",
            Expectation = "nothing lost",
            StartedUtc = new DateTimeOffset(2026, 11, 29, 18, 47, 0, TimeSpan.Zero),
            FinishedUtc = new DateTimeOffset(2026, 11, 29, 18, 51, 0, TimeSpan.Zero),
            Rate = 8,
            DurationSeconds = 75,
            Fault = "SIGKILL to the Redis server",
            FaultStartSeconds = 10,
            FaultEndSeconds = 18,
            Checkouts = 600,
            Accepted = 567,
            Refused = 0,
            GaveUp = 33,
            Retried = 106,
            Answers = new Dictionary<string, long> { ["503"] = 660 },
            ServerErrorsOtherThan503 = 0,
            Books = new BooksCheck(567, 0, 0, 1, 0, 0, 0, 73, 50, []),
            BaselineP99Ms = 120,
            RecoverySeconds = 24.4,
            Machine = ResultSamples.Machine,
            Commit = "7daa4bc",
            Command = "dotnet run --project src/LoadLab -- drill redis-restart",
        };
        var placeholders = new Placeholders(Inputs, path => path == "redis-restart/without-persistence" ? drill : null);

        Assert.Equal("567 accepted, 33 given up, recovery 24 s",
            placeholders.Fill("{{drill redis-restart/without-persistence: accepted}} accepted, {{drill redis-restart/without-persistence: gave-up}} given up, " +
                              "recovery {{drill redis-restart/without-persistence: recovery}}", null, "docs/log/durable-state.md"));
    }
}
