using Microsoft.EntityFrameworkCore;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Payments;
using PerfReference.Payments.V1;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Orders;

/// <summary>An order's payment: our record of it, and the payment as the provider holds it now (null when it has none yet).</summary>
public sealed record OrderPaymentStatus(long OrderId, PaymentRecordStatus RecordStatus, long AmountMinor, string? ProviderPaymentId, ProviderPaymentState? Provider);

public sealed record ProviderPaymentState(string Status, long AmountMinor, long CapturedMinor, long RefundedMinor);

/// <summary>
/// Reads an order's payment status — one PostgreSQL query, then one look-up at the payment provider
/// (which answers a look-up in 200 ms) — for the catalog entry <c>threadpool-starvation</c>. Naive:
/// synchronous calls on the request's thread (the query with <c>FirstOrDefault()</c>, the provider with
/// the blocking client method), and the request's thread is one of a fixed pool of ten
/// (<see cref="FixedWorkerPool"/>), as in a synchronous server: each request holds a thread for the
/// whole call, so ten threads serve at most ten ÷ 200 ms requests a second. Fine at a few requests a
/// second; past that every thread is held and new requests wait in the pool's queue, however idle the
/// CPU, the database and the provider are. Optimized: async all the way — the thread goes back to the
/// pool at each await and the same few threads serve any number of waiting requests.
/// </summary>
public sealed class PaymentStatusReader(OrdersDbContext db, PaymentProvider.PaymentProviderClient provider, FixedWorkerPool workers, IPerfSwitch perf)
{
    /// <summary>The same deadline both ways: only the waiting differs.</summary>
    public static readonly TimeSpan ProviderDeadline = TimeSpan.FromSeconds(10);

    public Task<OrderPaymentStatus?> ReadAsync(long orderId, CancellationToken ct) =>
        perf.IsOptimized(PerfCatalog.ThreadPoolStarvation) ? ReadAsyncAllTheWay(orderId, ct) : workers.RunAsync(() => ReadBlocking(orderId, ct), ct);

    private OrderPaymentStatus? ReadBlocking(long orderId, CancellationToken ct)
    {
        var record = RecordOf(orderId).FirstOrDefault(); // a synchronous query: the thread waits for PostgreSQL
        if (record?.ProviderPaymentId is not { } paymentId)
        {
            return record is null ? null : Status(record, provider: null);
        }

        // The generated client's synchronous method: sync-over-async inside (the call's task, waited on).
        var payment = provider.GetPayment(new GetPaymentRequest { PaymentId = paymentId }, deadline: Deadline(), cancellationToken: ct);
        return Status(record, payment);
    }

    private async Task<OrderPaymentStatus?> ReadAsyncAllTheWay(long orderId, CancellationToken ct)
    {
        var record = await RecordOf(orderId).FirstOrDefaultAsync(ct);
        if (record?.ProviderPaymentId is not { } paymentId)
        {
            return record is null ? null : Status(record, provider: null);
        }

        var payment = await provider.GetPaymentAsync(new GetPaymentRequest { PaymentId = paymentId }, deadline: Deadline(), cancellationToken: ct);
        return Status(record, payment);
    }

    private IQueryable<PaymentRecord> RecordOf(long orderId) =>
        db.Payments.AsNoTracking().Where(p => p.OrderId == orderId).OrderByDescending(p => p.Id);

    private static DateTime Deadline() => DateTime.UtcNow.Add(ProviderDeadline);

    private static OrderPaymentStatus Status(PaymentRecord record, Payment? provider) => new(
        record.OrderId, record.Status, record.AmountMinor, record.ProviderPaymentId,
        provider is null ? null : new ProviderPaymentState(provider.Status.ToString(), provider.AmountMinor, provider.CapturedMinor, provider.RefundedMinor));
}
