using Grpc.Core.Interceptors;
using Microsoft.EntityFrameworkCore;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.OrdersService.Infrastructure;
using PerfReference.OrdersService.Orders;
using PerfReference.Payments.V1;
using PerfReference.Performance;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// threadpool-starvation: reading an order's payment status makes the same two calls both ways — a
/// query, then the provider — and gives the same answer; naive makes both blocking (each holds its
/// thread until the answer comes), optimized neither. Counted by the hooks the service uses (an EF
/// Core interceptor, the gRPC interceptor), never timed.
/// </summary>
public sealed class ThreadPoolStarvationPairTests(OrdersDatabaseFixture database)
{
    [Fact]
    public async Task NaiveHoldsItsThreadThroughBothCallsAndOptimizedThroughNone()
    {
        var ct = TestContext.Current.CancellationToken;
        var orderId = await OrderWithAProviderPaymentAsync(ct);
        await ReadAsync(FixedPerfSwitch.AllOptimized, new FakePaymentProvider(), orderId, ct); // the connection's first use loads its types: not counted
        var provider = new FakePaymentProvider();

        var (naive, naiveCounters) = await Measured.RunAsync(() => ReadAsync(FixedPerfSwitch.AllNaive, provider, orderId, ct));
        var (optimized, optimizedCounters) = await Measured.RunAsync(() => ReadAsync(FixedPerfSwitch.OnlyOptimized(PerfCatalog.ThreadPoolStarvation), provider, orderId, ct));

        Assert.Equal((2, 0), (naiveCounters.BlockingCalls, optimizedCounters.BlockingCalls));
        Assert.Equal((1, 1), (naiveCounters.DbRoundtrips, optimizedCounters.DbRoundtrips));
        Assert.Equal((1, 1), (naiveCounters.PaymentCalls, optimizedCounters.PaymentCalls));
        Assert.Equal(["GetPayment (blocking)", "GetPayment"], provider.Calls);
        Assert.Equal(naive, optimized);
        Assert.NotNull(optimized?.Provider);
    }

    [Fact]
    public async Task AnOrderWithoutAPaymentIsNoneEitherWayAndTheProviderIsNotAsked()
    {
        var ct = TestContext.Current.CancellationToken;
        var provider = new FakePaymentProvider();

        Assert.Null(await ReadAsync(FixedPerfSwitch.AllNaive, provider, long.MaxValue, ct));
        Assert.Null(await ReadAsync(FixedPerfSwitch.AllOptimized, provider, long.MaxValue, ct));
        Assert.Empty(provider.Calls);
    }

    private async Task<OrderPaymentStatus?> ReadAsync(IPerfSwitch perf, FakePaymentProvider provider, long orderId, CancellationToken ct)
    {
        await using var db = database.NewContext();
        // The client as the service builds it: through the interceptor that counts payment calls (and blocking ones).
        var client = new PaymentProvider.PaymentProviderClient(provider.Intercept(new PerfGrpcClientInterceptor()));
        return await new PaymentStatusReader(db, client, perf).ReadAsync(orderId, ct);
    }

    private async Task<long> OrderWithAProviderPaymentAsync(CancellationToken ct)
    {
        await using var db = database.NewContext();
        return await db.Payments.Where(p => p.ProviderPaymentId != null).OrderBy(p => p.OrderId).Select(p => p.OrderId).FirstAsync(ct);
    }
}
