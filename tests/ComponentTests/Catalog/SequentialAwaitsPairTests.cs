using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Http;
using NSubstitute;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.CustomerGrains;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersDatabase.Payments;
using PerfReference.OrdersService.Checkout;
using PerfReference.OrdersService.Orders;
using PerfReference.Performance;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// sequential-awaits: a checkout's reads against a real PostgreSQL, with a customer grain that holds its
/// answer until the reads have sent their database round trips (or a few seconds have passed). What each
/// variant had sent when it asked the grain, and by the time the grain answered, is the entry's shape: naive
/// asks between the key's lookup and the product query and sends the query only after the answer; optimized
/// asks before either and sends both, as one batch, while the answer is outstanding. Round trips are counted
/// by the service's own counter (Npgsql's activities), which sees EF's commands and raw batches alike.
/// Measured as the lab measures it, on top of everything else optimized.
/// </summary>
public sealed class SequentialAwaitsPairTests(OrdersDatabaseFixture database)
{
    private static readonly IPerfSwitch Naive = new FixedPerfSwitch(new PerfSelection(PerfVariant.Optimized,
        new Dictionary<string, PerfVariant> { [PerfCatalog.SequentialAwaits.Id] = PerfVariant.Naive }));
    private static readonly IPerfSwitch Optimized = FixedPerfSwitch.AllOptimized;
    private static readonly CustomerProfile Customer = new(1, "Customer 1", "customer1@example.com", CustomerTier.Silver, 0, null, 0);

    [Fact]
    public async Task NaiveAsksTheGrainBetweenTheQueriesAndOptimizedBeforeThemAndWaitsWhileTheyRun()
    {
        var ct = TestContext.Current.CancellationToken;
        var lines = await LinesAsync(ct);
        await ReadAsync(Optimized, 1, lines, Customer, ct); // the first read builds EF's model and loads the connection's types: not the measurement

        // Naive: the key's lookup, then the product query; optimized: both in one batch.
        var (naive, naiveSent, naiveRoundtrips) = await ReadAsync(Naive, roundtrips: 2, lines, Customer, ct);
        var (optimized, optimizedSent, optimizedRoundtrips) = await ReadAsync(Optimized, roundtrips: 1, lines, Customer, ct);

        Assert.Equal((2, 1), (naiveRoundtrips, optimizedRoundtrips));
        Assert.Equal((1, 1), naiveSent);
        Assert.Equal((0, 1), optimizedSent);
        Assert.Equal(Described(naive), Described(optimized));
        Assert.Same(Customer, optimized.Customer);
        Assert.Equal(lines.Length, optimized.Priced.Lines.Count);
    }

    [Fact]
    public async Task AnUnknownCustomerIsReadAsNoneInBothVariants()
    {
        var ct = TestContext.Current.CancellationToken;
        var lines = await LinesAsync(ct);

        foreach (var perf in new[] { Naive, Optimized })
        {
            var (inputs, _, _) = await ReadAsync(perf, 1, lines, customer: null, ct);
            Assert.Null(inputs.Customer);
            Assert.Null(inputs.Replay);
        }
    }

    /// <summary>
    /// A key already stored is answered with its order by both variants, and a product that is not for sale is listed
    /// alike: the batch reads what the two queries read.
    /// </summary>
    [Fact]
    public async Task BothVariantsReplayAStoredKeyAndListAnUnknownProduct()
    {
        var ct = TestContext.Current.CancellationToken;
        var lines = await LinesAsync(ct);
        var (key, hash) = await StoredCheckoutAsync(lines, ct);

        foreach (var perf in new[] { Naive, Optimized })
        {
            var replayed = Assert.IsType<CheckoutResult.Replayed>((await ReadAsync(perf, lines, key, hash, ct)).Replay);
            Assert.Equal(lines.Select(l => l.ProductId), replayed.Order.Lines.Select(l => l.ProductId));
            var refused = Assert.IsType<CheckoutResult.Refused>((await ReadAsync(perf, lines, key, new string('1', 64), ct)).Replay);
            Assert.Equal(StatusCodes.Status422UnprocessableEntity, refused.StatusCode);

            var unknown = await ReadAsync(perf, [.. lines, (long.MaxValue, 1)], $"component-{Guid.NewGuid():N}", hash, ct);
            Assert.Equal([long.MaxValue], unknown.Priced.UnknownProductIds);
        }
    }

    private async Task<(CheckoutInputs Inputs, (long WhenAsked, long WhenAnswered) Sent, long Roundtrips)> ReadAsync(
        IPerfSwitch perf, int roundtrips, (long ProductId, int Quantity)[] lines, CustomerProfile? customer, CancellationToken ct)
    {
        var grain = new HeldGrain(roundtrips, customer);
        var (inputs, counters) = await Measured.RunAsync(async () =>
        {
            await using var db = database.NewContext();
            return await Reads(db, perf, grain.Factory).ReadAsync(1, lines, $"component-{Guid.NewGuid():N}", new string('0', 64), ct);
        });
        return (inputs, (grain.SentWhenAsked, grain.SentWhenAnswered), counters.DbRoundtrips);
    }

    private async Task<CheckoutInputs> ReadAsync(IPerfSwitch perf, (long ProductId, int Quantity)[] lines, string key, string hash, CancellationToken ct)
    {
        await using var db = database.NewContext();
        return await Reads(db, perf, new HeldGrain(0, Customer).Factory).ReadAsync(1, lines, key, hash, ct);
    }

    private static CheckoutReads Reads(OrdersDbContext db, IPerfSwitch perf, IGrainFactory grains) =>
        new(db, grains, new OrderLinePricer(db, perf), new CheckoutLookup(db), new OrderReader(db, perf), perf);

    /// <summary>An order stored under a new key with these lines, and the request hash it was stored with.</summary>
    private async Task<(string Key, string Hash)> StoredCheckoutAsync((long ProductId, int Quantity)[] lines, CancellationToken ct)
    {
        var (key, hash) = ($"component-{Guid.NewGuid():N}", CheckoutRequestHash.Compute(1, lines));
        var order = new Order
        {
            CustomerId = 1, Status = OrderStatus.PendingPayment, CreatedAt = DateTimeOffset.UnixEpoch.AddYears(56), IdempotencyKey = key, RequestHash = hash,
            Lines = [.. lines.Select(l => new OrderLine { ProductId = l.ProductId, Quantity = l.Quantity, UnitPriceMinor = 1, LineTotalMinor = l.Quantity })],
        };
        var payment = new PaymentRecord { Order = order, IdempotencyKey = $"checkout:{key}", Status = PaymentRecordStatus.Pending, CreatedAt = order.CreatedAt, UpdatedAt = order.CreatedAt };
        await using var db = database.NewContext();
        await new OrderWriter(db, Optimized).InsertAsync(order, payment, ct);
        return (key, hash);
    }

    private async Task<(long ProductId, int Quantity)[]> LinesAsync(CancellationToken ct)
    {
        await using var db = database.NewContext();
        var ids = await db.Products.Where(p => p.IsActive).OrderBy(p => p.Id).Select(p => p.Id).Take(3).ToListAsync(ct);
        return [.. ids.Select((id, i) => (id, 1 + i))];
    }

    private static string Described(CheckoutInputs inputs) =>
        $"{inputs.Customer?.CustomerId}|{string.Join(",", inputs.Priced.Lines.Select(l => $"{l.Product.Id}:{l.Quantity}:{l.LineTotalMinor}"))}";

    /// <summary>
    /// A customer grain that answers once the request has sent <c>roundtrips</c> database round trips, or after five
    /// seconds: the naive reads send the product query only after this answer, so they meet the five seconds; the
    /// optimized reads do not wait for them. The grain is asked on the request's flow, so it reads the request's counters.
    /// </summary>
    private sealed class HeldGrain
    {
        private readonly int _roundtrips;
        private readonly CustomerProfile? _customer;

        public HeldGrain(int roundtrips, CustomerProfile? customer)
        {
            (_roundtrips, _customer) = (roundtrips, customer);
            var grain = Substitute.For<ICustomerGrain>();
            grain.GetProfileAsync().Returns(_ => AnswerAsync(PerfRequest.Current?.Counters));
            Factory = Substitute.For<IGrainFactory>();
            Factory.GetGrain<ICustomerGrain>(Arg.Any<long>(), Arg.Any<string?>()).Returns(grain);
        }

        public IGrainFactory Factory { get; }

        public long SentWhenAsked { get; private set; } = -1;

        public long SentWhenAnswered { get; private set; } = -1;

        private async Task<CustomerProfile?> AnswerAsync(PerfCounters? counters)
        {
            SentWhenAsked = counters?.DbRoundtrips ?? -1;
            var giveUp = DateTime.UtcNow.AddSeconds(5);
            while (counters is not null && counters.DbRoundtrips < _roundtrips && DateTime.UtcNow < giveUp)
            {
                await Task.Delay(10);
            }

            SentWhenAnswered = counters?.DbRoundtrips ?? -1;
            return _customer;
        }
    }
}
