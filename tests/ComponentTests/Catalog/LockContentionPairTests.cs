using Microsoft.EntityFrameworkCore;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.OrdersService.Stock;
using PerfReference.Performance;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// lock-contention, correctness first: many concurrent reservations of a product's last units, each
/// on its own connection as concurrent requests are, never sell more than there is and never take
/// the stock below zero — naive (one process lock) and optimized (one conditional UPDATE) alike.
/// Then what each holds while it decides: two round trips inside the lock against one statement.
/// </summary>
public sealed class LockContentionPairTests(OrdersDatabaseFixture database)
{
    private const int LastUnits = 10;
    private const int Checkouts = 60;

    public static TheoryData<string> Variants => ["naive", "optimized"];

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task ConcurrentCheckoutsOfTheLastUnitsNeverOversellAndNeverGoNegative(string variant)
    {
        var ct = TestContext.Current.CancellationToken;
        var perf = Switch(variant);
        var productId = await ProductAsync(variant == "naive" ? 0 : 1, ct);
        await SetStockAsync(productId, LastUnits, ct);

        // Two units at a time from many checkouts at once: 5 can be served, the rest must be refused.
        using var start = new SemaphoreSlim(0);
        var reservations = Enumerable.Range(0, Checkouts).Select(_ => Task.Run(async () =>
        {
            await start.WaitAsync(ct);
            await using var db = database.NewContext();
            return await new StockReservations(db, perf).ReserveAsync(productId, 2, ct);
        }, ct)).ToArray();
        start.Release(Checkouts);
        var results = await Task.WhenAll(reservations);

        var reserved = results.OfType<ReservationResult.Reserved>().ToArray();
        Assert.Equal(LastUnits / 2, reserved.Length);
        Assert.Equal(Checkouts - LastUnits / 2, results.OfType<ReservationResult.OutOfStock>().Count());
        Assert.Equal([0, 2, 4, 6, 8], reserved.Select(r => r.Remaining).Order()); // each unit sold once: no two saw the same stock
        Assert.Equal(0, await StockAsync(productId, ct));
    }

    [Fact]
    public async Task NaiveMakesTwoRoundTripsInsideItsLockAndOptimizedOneStatement()
    {
        var ct = TestContext.Current.CancellationToken;
        var productId = await ProductAsync(2, ct);
        await SetStockAsync(productId, 100, ct); // also the connection's first use (it loads its types): not counted

        var (naive, naiveCounters) = await Measured.RunAsync(() => ReserveAsync(FixedPerfSwitch.AllNaive, productId, 3, ct));
        var (optimized, optimizedCounters) = await Measured.RunAsync(() => ReserveAsync(Switch("optimized"), productId, 3, ct));

        Assert.Equal(new ReservationResult.Reserved(productId, 3, 97), naive);
        Assert.Equal(new ReservationResult.Reserved(productId, 3, 94), optimized);
        Assert.Equal((2, 1), (naiveCounters.DbRoundtrips, optimizedCounters.DbRoundtrips));
        Assert.Equal((2, 0), (naiveCounters.BlockingCalls, optimizedCounters.BlockingCalls)); // a lock cannot span an await
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task TooManyUnitsAreRefusedWithWhatIsLeftAndAnUnknownProductIsSaidSo(string variant)
    {
        var ct = TestContext.Current.CancellationToken;
        var productId = await ProductAsync(variant == "naive" ? 3 : 4, ct);
        await SetStockAsync(productId, 4, ct);

        Assert.Equal(new ReservationResult.OutOfStock(productId, 5, 4), await ReserveAsync(Switch(variant), productId, 5, ct));
        Assert.Equal(new ReservationResult.UnknownProduct(long.MaxValue), await ReserveAsync(Switch(variant), long.MaxValue, 1, ct));
        Assert.Equal(4, await StockAsync(productId, ct));
    }

    private static IPerfSwitch Switch(string variant) =>
        variant == "naive" ? FixedPerfSwitch.AllNaive : FixedPerfSwitch.OnlyOptimized(PerfCatalog.LockContention);

    private async Task<ReservationResult> ReserveAsync(IPerfSwitch perf, long productId, int quantity, CancellationToken ct)
    {
        await using var db = database.NewContext();
        return await new StockReservations(db, perf).ReserveAsync(productId, quantity, ct);
    }

    /// <summary>A product of this test class's own (the last active ones), so tests of other classes never touch its stock.</summary>
    private async Task<long> ProductAsync(int index, CancellationToken ct)
    {
        await using var db = database.NewContext();
        return await db.Products.Where(p => p.IsActive).OrderByDescending(p => p.Id).Select(p => p.Id).Skip(index).FirstAsync(ct);
    }

    private async Task SetStockAsync(long productId, int units, CancellationToken ct)
    {
        await using var db = database.NewContext();
        Assert.True(await new StockReservations(db, FixedPerfSwitch.AllOptimized).SetStockAsync(productId, units, ct));
    }

    private async Task<int> StockAsync(long productId, CancellationToken ct)
    {
        await using var db = database.NewContext();
        return await db.Products.Where(p => p.Id == productId).Select(p => p.Stock).SingleAsync(ct);
    }
}
