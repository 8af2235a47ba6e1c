using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NSubstitute;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.CustomerGrains;
using PerfReference.OrdersService.Checkout;
using PerfReference.OrdersService.Orders;
using PerfReference.Performance;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// sequential-awaits: a checkout's reads against a real PostgreSQL, with a customer grain that holds its
/// answer until the reads have sent both their queries (or a few seconds have passed). What each variant
/// had sent when it asked the grain, and by the time the grain answered, is the entry's shape: naive asks
/// between the two queries and sends the second only after the answer; optimized asks before either and
/// sends both while the answer is outstanding. Measured as the lab measures it, on top of everything else optimized.
/// </summary>
public sealed class SequentialAwaitsPairTests(OrdersDatabaseFixture database)
{
    private const int Queries = 2; // the idempotency-key lookup and the product query
    private static readonly IPerfSwitch Naive = new FixedPerfSwitch(new PerfSelection(PerfVariant.Optimized,
        new Dictionary<string, PerfVariant> { [PerfCatalog.SequentialAwaits.Id] = PerfVariant.Naive }));
    private static readonly IPerfSwitch Optimized = FixedPerfSwitch.AllOptimized;
    private static readonly CustomerProfile Customer = new(1, "Customer 1", "customer1@example.com", CustomerTier.Silver, 0, null, 0);

    [Fact]
    public async Task NaiveAsksTheGrainBetweenTheQueriesAndOptimizedBeforeThemAndWaitsWhileTheyRun()
    {
        var ct = TestContext.Current.CancellationToken;
        var lines = await LinesAsync(ct);
        await ReadAsync(Optimized, lines, Customer, ct); // the first read builds EF's model and compiles the query: not the measurement

        var (naive, naiveSent) = await ReadAsync(Naive, lines, Customer, ct);
        var (optimized, optimizedSent) = await ReadAsync(Optimized, lines, Customer, ct);

        Assert.Equal((1, 1), naiveSent);
        Assert.Equal((0, Queries), optimizedSent);
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
            var (inputs, _) = await ReadAsync(perf, lines, customer: null, ct);
            Assert.Null(inputs.Customer);
            Assert.Null(inputs.Replay);
        }
    }

    private async Task<(CheckoutInputs Inputs, (int WhenAsked, int WhenAnswered) Sent)> ReadAsync(
        IPerfSwitch perf, (long ProductId, int Quantity)[] lines, CustomerProfile? customer, CancellationToken ct)
    {
        var commands = new SentCommands();
        await using var db = database.NewContext(commands);
        var grain = new HeldGrain(commands, customer);
        var reads = new CheckoutReads(db, grain.Factory, new OrderLinePricer(db, perf), new OrderReader(db, perf), perf);
        var inputs = await reads.ReadAsync(1, lines, $"component-{Guid.NewGuid():N}", new string('0', 64), ct);
        return (inputs, (grain.SentWhenAsked, grain.SentWhenAnswered));
    }

    private async Task<(long ProductId, int Quantity)[]> LinesAsync(CancellationToken ct)
    {
        await using var db = database.NewContext();
        var ids = await db.Products.Where(p => p.IsActive).OrderBy(p => p.Id).Select(p => p.Id).Take(3).ToListAsync(ct);
        return [.. ids.Select((id, i) => (id, 1 + i))];
    }

    private static string Described(CheckoutInputs inputs) =>
        $"{inputs.Customer?.CustomerId}|{string.Join(",", inputs.Priced.Lines.Select(l => $"{l.Product.Id}:{l.Quantity}:{l.LineTotalMinor}"))}";

    /// <summary>Counts the commands a context sends, and lets a test wait until it has sent some number of them.</summary>
    private sealed class SentCommands : DbCommandInterceptor
    {
        private readonly TaskCompletionSource _enough = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _sent;

        public int Sent => Volatile.Read(ref _sent);

        public Task AllSent => _enough.Task;

        public override ValueTask<InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _sent) == Queries)
            {
                _enough.TrySetResult();
            }

            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    /// <summary>
    /// A customer grain that answers once the reads have sent both queries, or after five seconds: the naive reads
    /// send the second only after this answer, so they meet the five seconds; the optimized reads do not wait for them.
    /// </summary>
    private sealed class HeldGrain
    {
        private readonly SentCommands _commands;
        private readonly CustomerProfile? _customer;

        public HeldGrain(SentCommands commands, CustomerProfile? customer)
        {
            (_commands, _customer) = (commands, customer);
            var grain = Substitute.For<ICustomerGrain>();
            grain.GetProfileAsync().Returns(_ => AnswerAsync());
            Factory = Substitute.For<IGrainFactory>();
            Factory.GetGrain<ICustomerGrain>(Arg.Any<long>(), Arg.Any<string?>()).Returns(grain);
        }

        public IGrainFactory Factory { get; }

        public int SentWhenAsked { get; private set; } = -1;

        public int SentWhenAnswered { get; private set; } = -1;

        private async Task<CustomerProfile?> AnswerAsync()
        {
            SentWhenAsked = _commands.Sent;
            await Task.WhenAny(_commands.AllSent, Task.Delay(TimeSpan.FromSeconds(5)));
            SentWhenAnswered = _commands.Sent;
            return _customer;
        }
    }
}
