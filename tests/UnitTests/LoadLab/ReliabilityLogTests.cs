using PerfReference.LoadLab.Drills;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>docs/reliability.md is a function of the drill results: the newest per drill, a table of the books, what each drill did.</summary>
public sealed class ReliabilityLogTests
{
    private static readonly MachineInfo Machine = new(2, 23.5, "Debian 12", "10.0.0");

    [Fact]
    public void TheNewestResultOfEachDrillIsTabledPerVariantWithItsCommitAndAFailedOneSaysWhatWasWrong()
    {
        var passed = Result("silo-kill", new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero), Books(), [Variant("naive"), Variant("optimized")]);
        var older = Result("redis-restart", new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero), Books(wrongBalances: 3, findings: ["customer 88: 10 points, expected 9"]),
            [Variant("naive", books: Books(wrongBalances: 3)), Variant("optimized")]);
        var newer = Result("redis-restart", new DateTimeOffset(2026, 11, 1, 11, 0, 0, TimeSpan.Zero), Books(wrongBalances: 1, findings: ["customer 51: 1705 points and 10 orders, expected 1583 and 9"]),
            [Variant("naive", books: Books(wrongBalances: 1)), Variant("optimized")]);

        var log = ReliabilityLog.Generate([newer, passed, older]);

        Assert.Contains("| [A silo is killed](#silo-kill) | naive | 40 | 40 | 0 (0 %) | 0 | 3.5 s | balanced | yes | `abc1234` |", log);
        Assert.Contains("| [A silo is killed](#silo-kill) | optimized | 40 | 40 | 0 (0 %) | 0 | 3.5 s | balanced | yes | `abc1234` |", log);
        Assert.Contains("| [Redis is killed and started again, then a silo](#redis-restart) | naive | 40 | 40 | 0 (0 %) | 0 | 3.5 s | **1 wrong balances** | **no** | `abc1234` |", log);
        Assert.Contains("customer 51: 1705 points and 10 orders, expected 1583 and 9", log);
        Assert.DoesNotContain("customer 88", log);
        Assert.True(log.IndexOf("silo-kill", StringComparison.Ordinal) < log.IndexOf("redis-restart", StringComparison.Ordinal), "in the catalog's order");
        Assert.Contains("| PostgreSQL freezes for 10 s (SIGSTOP, then SIGCONT) (`postgres-freeze`) | | | | | | | | not run yet | |", log); // every drill has a row
        Assert.Equal(log, ReliabilityLog.Generate([older, passed, newer]));
    }

    [Fact]
    public void AVariantThatGaveUpOnMoreThanOnePercentOrCameBackLateFailsTheDrillThoughItsBooksBalance()
    {
        var gaveUp = Variant("naive", checkouts: 300, accepted: 296, gaveUp: 4, storedButUnacknowledged: 3);
        var late = Variant("optimized", checkouts: 300, accepted: 300, recoverySeconds: 10.5);
        var result = Result("orders-kill", new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero), Books(), [gaveUp, late]);

        var log = ReliabilityLog.Generate([result]);

        Assert.True(result.Books.Balanced);
        Assert.False(gaveUp.Available); // 1.3 % given up
        Assert.False(late.Available);   // back 10.5 s after the fault's end
        Assert.False(result.Passed);
        Assert.True(Variant("optimized", checkouts: 300, accepted: 297, gaveUp: 3, recoverySeconds: 10).Passed, "1 % given up and back at 10 s: within the rule");
        Assert.Contains("| [OrdersService is killed mid-checkout](#orders-kill) | naive | 300 | 296 | 4 (1.3 %) | 3 | 3.5 s | balanced | **no** | `abc1234` |", log);
        Assert.Contains("Naive: 4 of 300 checkouts given up (1.3 %), 3 stored but never acknowledged; P99 before the fault 120 ms, back within 2× that 3.5 s after the fault's end — **not available**.", log);
    }

    /// <summary>
    /// A result written before the drills counted availability still reads, with the figures it has — among them the
    /// orders stored that its clients never saw acknowledged — but it is not shown as passed: it was judged by its books alone.
    /// </summary>
    [Fact]
    public void AResultFromBeforeTheAvailabilityRuleIsMarkedAsPredatingItNotAsPassed()
    {
        var old = Result("orders-kill", new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero), Books(stored: 172), variants: null) with { Accepted = 142, GaveUp = 458, Checkouts = 600 };

        var log = ReliabilityLog.Generate([old]);

        Assert.True(old.Passed); // what its file says: the books balanced
        Assert.False(old.CountsAvailability);
        Assert.Equal(30, old.StoredButUnacknowledged);
        Assert.Contains("| [OrdersService is killed mid-checkout](#orders-kill) | all | 600 | 142 | 458 | 30 | 3.5 s | balanced | predates the availability rule | `abc1234` |", log);
        Assert.Contains("**Availability.** Not judged: this run predates the availability rule", log);
        Assert.DoesNotContain("| yes |", log);
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

    private static BooksCheck Books(long wrongBalances = 0, IReadOnlyList<string>? findings = null, long stored = 80) =>
        new(StoredOrders: stored, LostOrders: 0, HalfWritten: 0, Unsettled: 0, DoubleCharges: 0, ChargedWithoutOrder: 0, HeldWithoutOrder: 0,
            UncapturedPaidOrders: 0, WrongBalances: wrongBalances, Findings: findings ?? []);

    private static DrillVariant Variant(string variant, long checkouts = 40, long accepted = 40, long gaveUp = 0, long storedButUnacknowledged = 0,
        double? recoverySeconds = 3.5, BooksCheck? books = null) =>
        new(variant, checkouts, accepted, Refused: 0, gaveUp, storedButUnacknowledged, BaselineP99Ms: 120, recoverySeconds, books ?? Books(stored: accepted));

    private static DrillResult Result(string drill, DateTimeOffset started, BooksCheck books, IReadOnlyList<DrillVariant>? variants = null)
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
            Variants = variants,
        };
    }
}
