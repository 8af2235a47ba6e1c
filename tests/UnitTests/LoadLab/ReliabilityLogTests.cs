using PerfReference.LoadLab.Drills;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>docs/reliability.md is a function of the drill results: the newest per drill, a table of the books, what each drill did.</summary>
public sealed class ReliabilityLogTests
{
    private static readonly MachineInfo Machine = new(2, 23.5, "Debian 12", "10.0.0");

    [Fact]
    public void TheNewestResultOfEachDrillIsTabledAndAFailedDrillSaysWhatWasWrong()
    {
        var passed = Result("silo-kill", new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero), Books());
        var older = Result("redis-restart", new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero), Books(wrongBalances: 3, findings: ["customer 88: 10 points, expected 9"]));
        var newer = Result("redis-restart", new DateTimeOffset(2026, 11, 1, 11, 0, 0, TimeSpan.Zero), Books(wrongBalances: 1, findings: ["customer 51: 1705 points and 10 orders, expected 1583 and 9"]));

        var log = ReliabilityLog.Generate([newer, passed, older]);

        Assert.Contains("| [A silo is killed](#silo-kill) | 80 | 80 | 4 | 0 | 0 | 0 | 0 | 0 | 3.5 s | yes |", log);
        Assert.Contains("| [Redis is killed and started again, then a silo](#redis-restart) | 80 | 80 | 4 | 0 | 0 | 0 | 0 | 1 | 3.5 s | **no** |", log);
        Assert.Contains("customer 51: 1705 points and 10 orders, expected 1583 and 9", log);
        Assert.DoesNotContain("customer 88", log);
        Assert.True(log.IndexOf("silo-kill", StringComparison.Ordinal) < log.IndexOf("redis-restart", StringComparison.Ordinal), "in the catalog's order");
        Assert.Equal(log, ReliabilityLog.Generate([older, passed, newer]));
    }

    [Fact]
    public async Task RunsKeptInADrillsSubfolderStayOutOfTheLog()
    {
        var results = Path.Combine(Path.GetTempPath(), $"drills-{Guid.NewGuid():N}");
        try
        {
            var store = ResultFiles.Drills.In(results);
            var path = await store.WriteAsync(Result("redis-restart", new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero), Books()), TestContext.Current.CancellationToken);
            var apart = Path.Combine(Path.GetDirectoryName(path)!, "without-persistence");
            Directory.CreateDirectory(apart);
            File.Copy(path, Path.Combine(apart, "20261101T110000Z.json"));

            Assert.Single(store.ReadAll());
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    [Fact]
    public void WithoutResultsItSaysNoDrillHasRun() =>
        Assert.Contains("No drill has been run yet.", ReliabilityLog.Generate([]));

    private static BooksCheck Books(long wrongBalances = 0, IReadOnlyList<string>? findings = null) =>
        new(StoredOrders: 80, LostOrders: 0, HalfWritten: 0, Unsettled: 0, DoubleCharges: 0, ChargedWithoutOrder: 0, HeldWithoutOrder: 0,
            UncapturedPaidOrders: 0, WrongBalances: wrongBalances, Findings: findings ?? []);

    private static DrillResult Result(string drill, DateTimeOffset started, BooksCheck books)
    {
        var definition = DrillCatalog.Find(drill)!;
        return new DrillResult
        {
            Drill = drill,
            Title = definition.Title,
            Expectation = definition.Expectation,
            StartedUtc = started,
            FinishedUtc = started.AddMinutes(2),
            Rate = 8,
            DurationSeconds = 75,
            Fault = "SIGKILL to a silo (pid 42)",
            FaultStartSeconds = 10,
            FaultEndSeconds = 10,
            Checkouts = 80,
            Accepted = 80,
            Refused = 0,
            GaveUp = 0,
            Retried = 4,
            Answers = new Dictionary<string, long> { ["201"] = 40, ["202"] = 40, ["503"] = 4 },
            ServerErrorsOtherThan503 = 0,
            Books = books,
            BaselineP99Ms = 120,
            RecoverySeconds = 3.5,
            Machine = Machine,
            Commit = "abc1234",
            Command = $"dotnet run --project src/LoadLab -- drill {drill}",
        };
    }
}
