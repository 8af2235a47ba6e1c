using Microsoft.EntityFrameworkCore;
using PerfReference.CustomerGrains;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersService.Orders;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Checkout;

/// <summary>What a checkout has read before it can pay: the customer (null when none has the id) and the priced lines.</summary>
public sealed record CheckoutInputs(CustomerProfile? Customer, PricedLines Priced)
{
    /// <summary>The answer this Idempotency-Key was given before (or its refusal, when the request differs): the checkout answers with it.</summary>
    public CheckoutResult? Replay { get; private init; }

    public static CheckoutInputs Replayed(CheckoutResult answer) => new(null, PricedLines.None) { Replay = answer };
}

/// <summary>
/// The reads a checkout makes before it can pay — was its Idempotency-Key seen before, who is the
/// customer (a grain call), what do the lines cost (a database query) — in the two variants of the
/// catalog entry <c>sequential-awaits</c>. Naive: each is awaited before the next is asked for, as
/// such code is first written, so the request pays the grain's round trip on top of the database's
/// two. Optimized: none of the three needs another's answer. The grain call is made first and
/// awaited last, so it travels while the database answers, and the two database reads go as one
/// batch (<see cref="CheckoutLookup"/>) — where the products are one query (<c>n-plus-one-db</c>
/// optimized); a query per product leaves the key's lookup in front of them.
/// </summary>
public sealed class CheckoutReads(OrdersDbContext db, IGrainFactory grains, OrderLinePricer pricer, CheckoutLookup lookup, OrderReader orders, IPerfSwitch perf)
{
    public Task<CheckoutInputs> ReadAsync(long customerId, IReadOnlyList<(long ProductId, int Quantity)> lines, string? idempotencyKey, string requestHash, CancellationToken ct) =>
        perf.IsOptimized(PerfCatalog.SequentialAwaits)
            ? ReadWhileTheGrainAnswersAsync(customerId, lines, idempotencyKey, requestHash, ct)
            : ReadInTurnAsync(customerId, lines, idempotencyKey, requestHash, ct);

    /// <summary>
    /// The stored order of a checkout sent again with its Idempotency-Key, or a refusal when the key
    /// came with a different request; null when the key is new.
    /// </summary>
    public async Task<CheckoutResult?> ReplayAsync(string idempotencyKey, string requestHash, CancellationToken ct) =>
        await FindStoredAsync(idempotencyKey, ct) is { } stored ? await ReplayOfAsync(stored, requestHash, ct) : null;

    /// <summary>Naive: the key, then the customer, then the products — three round trips end to end.</summary>
    private async Task<CheckoutInputs> ReadInTurnAsync(long customerId, IReadOnlyList<(long ProductId, int Quantity)> lines, string? idempotencyKey, string requestHash, CancellationToken ct)
    {
        if (idempotencyKey is not null && await ReplayAsync(idempotencyKey, requestHash, ct) is { } replay)
        {
            return CheckoutInputs.Replayed(replay);
        }

        var customer = await grains.GetGrain<ICustomerGrain>(customerId).GetProfileAsync();
        var priced = await pricer.PriceAsync(lines, ct);
        return new CheckoutInputs(customer, priced);
    }

    /// <summary>
    /// Optimized: the customer's grain is asked first and answered last. A replay does not need its
    /// answer, nor the prices read beside the key; reading them for nothing is what a rare replay costs.
    /// </summary>
    private async Task<CheckoutInputs> ReadWhileTheGrainAnswersAsync(long customerId, IReadOnlyList<(long ProductId, int Quantity)> lines, string? idempotencyKey, string requestHash, CancellationToken ct)
    {
        var customer = grains.GetGrain<ICustomerGrain>(customerId).GetProfileAsync();
        ObserveFailure(customer); // a replay, or a database failure, leaves it unawaited
        var (stored, priced) = await KeyAndPricesAsync(lines, idempotencyKey, ct);
        if (stored is not null)
        {
            return CheckoutInputs.Replayed(await ReplayOfAsync(stored, requestHash, ct));
        }

        return new CheckoutInputs(await customer, priced);
    }

    /// <summary>The key's stored order and the priced lines: one batch when the products are one query; otherwise the key first.</summary>
    private async Task<(StoredCheckout? Stored, PricedLines Priced)> KeyAndPricesAsync(
        IReadOnlyList<(long ProductId, int Quantity)> lines, string? idempotencyKey, CancellationToken ct)
    {
        if (perf.IsOptimized(PerfCatalog.NPlusOneDb))
        {
            return await lookup.ReadAsync(idempotencyKey, lines, ct);
        }

        var stored = idempotencyKey is null ? null : await FindStoredAsync(idempotencyKey, ct);
        return (stored, stored is null ? await pricer.PriceAsync(lines, ct) : PricedLines.None);
    }

    private Task<StoredCheckout?> FindStoredAsync(string idempotencyKey, CancellationToken ct) =>
        db.Orders.AsNoTracking()
            .Where(o => o.IdempotencyKey == idempotencyKey)
            .Select(o => new StoredCheckout(o.Id, o.RequestHash))
            .SingleOrDefaultAsync(ct);

    /// <summary>The answer to a key already stored: its order, or a refusal when it came with a different request.</summary>
    private async Task<CheckoutResult> ReplayOfAsync(StoredCheckout stored, string requestHash, CancellationToken ct) =>
        stored.RequestHash != requestHash
            ? new CheckoutResult.Refused(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                "This Idempotency-Key was already used for a different checkout request; use a new key for a new order.")
            : new CheckoutResult.Replayed((await orders.FindAsync(stored.OrderId, ct))!);

    /// <summary>A call that may end unawaited: its failure, if it fails, is observed here rather than reported as unobserved; an await still sees it.</summary>
    private static void ObserveFailure(Task call)
    {
        _ = call.ContinueWith(static failed => failed.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}
