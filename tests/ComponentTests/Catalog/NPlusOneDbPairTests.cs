using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersDatabase.Payments;
using PerfReference.OrdersService.Checkout;
using PerfReference.OrdersService.Orders;
using PerfReference.Performance;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// n-plus-one-db, component by component (the pricer, the reader and the writer of a 200-line order),
/// each run naive and with only this entry optimized against the same database: the round trips
/// differ as the entry says, the answers and the stored rows do not.
/// </summary>
public sealed class NPlusOneDbPairTests(OrdersDatabaseFixture database)
{
    private const int Lines = 200;
    private static readonly IPerfSwitch Naive = FixedPerfSwitch.AllNaive;
    private static readonly IPerfSwitch Optimized = FixedPerfSwitch.OnlyOptimized(PerfCatalog.NPlusOneDb);

    [Fact]
    public async Task PricingAsksOnceALineNaiveAndOnceInAllOptimized()
    {
        var ct = TestContext.Current.CancellationToken;
        var lines = await OrderOfAsync(Lines, ct);

        var (naive, naiveCounters) = await Measured.RunAsync(() => PriceAsync(Naive, lines, ct));
        var (optimized, optimizedCounters) = await Measured.RunAsync(() => PriceAsync(Optimized, lines, ct));

        Assert.Equal((Lines, 1), (naiveCounters.DbRoundtrips, optimizedCounters.DbRoundtrips));
        Assert.Empty(optimized.UnknownProductIds);
        Assert.Equal(Priced(naive), Priced(optimized));
        Assert.Equal(lines.Select(l => l.ProductId), optimized.Lines.Select(l => l.Product.Id)); // in the order asked
    }

    [Fact]
    public async Task ReadingAnOrderTakesARoundTripPerProductNaiveAndOneOptimized()
    {
        var ct = TestContext.Current.CancellationToken;
        var (order, _) = await StoreAsync(Optimized, await OrderOfAsync(Lines, ct), ct);

        var (naive, naiveCounters) = await Measured.RunAsync(() => ReadAsync(Naive, order.Id, ct));
        var (optimized, optimizedCounters) = await Measured.RunAsync(() => ReadAsync(Optimized, order.Id, ct));

        // Naive: the order, its lines, a query per product, its payment. Optimized: one command with JOINs.
        Assert.Equal((Lines + 3, 1), (naiveCounters.DbRoundtrips, optimizedCounters.DbRoundtrips));
        Assert.Equal(JsonSerializer.Serialize(naive), JsonSerializer.Serialize(optimized));
        Assert.Equal(Lines, optimized!.Lines.Count);
    }

    [Fact]
    public async Task TheOptimizedReadFindsThePaymentByItsOrderNotByAWindowOverEveryPayment()
    {
        var ct = TestContext.Current.CancellationToken;
        var (order, _) = await StoreAsync(Optimized, await OrderOfAsync(3, ct), ct);
        var commands = new CommandTexts();
        await using var db = database.NewContext(commands);

        var read = await new OrderReader(db, Optimized).FindAsync(order.Id, ct);

        // ROW_NUMBER() OVER (PARTITION BY order_id) numbers every payment before the join keeps this order's: on the
        // default data set's million payments, 1.5 s a read. Each field is a lookup through payments.order_id instead.
        var sql = Assert.Single(commands.Texts);
        Assert.DoesNotContain("ROW_NUMBER", sql, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("LIMIT 1", sql, StringComparison.Ordinal);
        Assert.NotNull(read?.Payment);
    }

    [Fact]
    public async Task BothWritesStoreTheSameRowsAndTheOptimizedOneIsOneRoundTripEveryTime()
    {
        var ct = TestContext.Current.CancellationToken;
        var lines = await OrderOfAsync(Lines, ct);

        var (naiveOrder, naiveCounters) = await StoreAsync(Naive, lines, ct);
        var optimized = new List<(Order Order, PerfCounters Counters)>();
        for (var i = 0; i < 11; i++)
        {
            optimized.Add(await StoreAsync(Optimized, lines, ct));
        }

        Assert.Equal(
            await OrderBooks.StoredRowsAsync(database.DataSource, naiveOrder.Id, ct),
            await OrderBooks.StoredRowsAsync(database.DataSource, optimized[0].Order.Id, ct));
        // Order, 200 lines and payment in one statement that takes the order's id from the sequence itself: eleven
        // writes in a row, more than a block of hi/lo ids, never a round trip for the next block.
        Assert.All(optimized, write => Assert.Equal(1, write.Counters.DbRoundtrips));
        Assert.Equal(optimized.Count, optimized.Select(write => write.Order.Id).Distinct().Count());
        Assert.True(naiveCounters.DbRoundtrips >= 1);
    }

    [Fact]
    public async Task TheWriterKeepsNothingBetweenWrites()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = database.NewContext();
        var lines = await OrderOfAsync(3, ct);

        // One writer, both variants in turn, then a capture recorded by id: what one write did must not change the next.
        foreach (var perf in new[] { Naive, Optimized, Naive })
        {
            var writer = new OrderWriter(db, perf);
            var (order, payment) = NewOrder(lines);
            await writer.InsertAsync(order, payment, ct);
            Assert.Empty(db.ChangeTracker.Entries());

            payment.Status = PaymentRecordStatus.Captured;
            order.Status = OrderStatus.Paid;
            await writer.RecordCaptureAsync(order, payment, ct);
            Assert.Equal((int)OrderStatus.Paid, await ScalarAsync($"SELECT status FROM orders WHERE id = {order.Id}", ct));
            Assert.Equal((int)PaymentRecordStatus.Captured, await ScalarAsync($"SELECT status FROM payments WHERE id = {payment.Id}", ct));
        }
    }

    private async Task<PricedLines> PriceAsync(IPerfSwitch perf, IReadOnlyList<(long ProductId, int Quantity)> lines, CancellationToken ct)
    {
        await using var db = database.NewContext();
        return await new OrderLinePricer(db, perf).PriceAsync(lines, ct);
    }

    private async Task<OrderDetails?> ReadAsync(IPerfSwitch perf, long orderId, CancellationToken ct)
    {
        await using var db = database.NewContext();
        return await new OrderReader(db, perf).FindAsync(orderId, ct);
    }

    private async Task<(Order Order, PerfCounters Counters)> StoreAsync(IPerfSwitch perf, IReadOnlyList<(long ProductId, int Quantity)> lines, CancellationToken ct)
    {
        var (order, payment) = NewOrder(lines);
        var counters = await Measured.RunAsync(async () =>
        {
            await using var db = database.NewContext();
            await new OrderWriter(db, perf).InsertAsync(order, payment, ct);
        });
        return (order, counters);
    }

    /// <summary>A checkout's order as CheckoutService builds it: authorised, its capture left to the worker.</summary>
    private static (Order Order, PaymentRecord Payment) NewOrder(IReadOnlyList<(long ProductId, int Quantity)> lines)
    {
        var now = DateTimeOffset.UnixEpoch.AddYears(56);
        var order = new Order
        {
            CustomerId = 1,
            Status = OrderStatus.Placed,
            SubtotalMinor = lines.Sum(l => 100L * l.Quantity),
            TotalMinor = lines.Sum(l => 100L * l.Quantity),
            CreatedAt = now,
            IdempotencyKey = $"component-{Guid.NewGuid():N}",
            RequestHash = new string('0', 64),
            Lines = [.. lines.Select(l => new OrderLine { ProductId = l.ProductId, Quantity = l.Quantity, UnitPriceMinor = 100, LineTotalMinor = 100L * l.Quantity })],
        };
        var payment = new PaymentRecord
        {
            Order = order,
            IdempotencyKey = $"checkout:{order.IdempotencyKey}",
            ProviderPaymentId = $"pay_{Guid.NewGuid():N}",
            Status = PaymentRecordStatus.Authorized,
            AmountMinor = order.TotalMinor,
            Attempts = 1,
            CreatedAt = now,
            UpdatedAt = now,
            NextAttemptAt = now,
        };
        return (order, payment);
    }

    /// <summary>The first <paramref name="count"/> products for sale, in reverse id order (so "in the order asked" means something), quantities 1..3.</summary>
    private async Task<(long ProductId, int Quantity)[]> OrderOfAsync(int count, CancellationToken ct)
    {
        await using var db = database.NewContext();
        var ids = await db.Products.Where(p => p.IsActive).OrderBy(p => p.Id).Select(p => p.Id).Take(count).ToListAsync(ct);
        Assert.Equal(count, ids.Count);
        return [.. ids.AsEnumerable().Reverse().Select((id, i) => (id, 1 + i % 3))];
    }

    private static string Priced(PricedLines priced) =>
        string.Join(",", priced.Lines.Select(l => $"{l.Product.Id}:{l.Quantity}:{l.LineTotalMinor}")) + $"={priced.SubtotalMinor}";

    private async Task<long> ScalarAsync(string sql, CancellationToken ct)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }

    /// <summary>The text of every command a context sends.</summary>
    private sealed class CommandTexts : DbCommandInterceptor
    {
        public List<string> Texts { get; } = [];

        public override ValueTask<InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Texts.Add(command.CommandText);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
