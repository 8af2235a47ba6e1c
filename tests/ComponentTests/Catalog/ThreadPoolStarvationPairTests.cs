using System.Diagnostics.Metrics;
using Grpc.Core.Interceptors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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

    /// <summary>
    /// The seed's pool, pinned by what it lets through: twelve naive reads at once against a provider that holds every
    /// call — ten reach it, each holding one of the pool's threads, and two wait for a thread; once the provider answers,
    /// all twelve complete, never more than ten having waited on it at once. Optimized, the twelve wait on it together.
    /// </summary>
    [Fact]
    public async Task NaiveHoldsAtMostTheFixedPoolsTenThreadsAndOptimizedWaitsOnAllAtOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var orderId = await OrderWithAProviderPaymentAsync(ct);
        const int Reads = 12, Threads = 10; // the seed's pool: ten threads

        foreach (var (perf, atOnce) in new[] { (FixedPerfSwitch.AllNaive, Threads), (FixedPerfSwitch.AllOptimized, Reads) })
        {
            var pool = NewPool();
            var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var provider = new FakePaymentProvider { Hold = answer.Task };

            var reads = Enumerable.Range(0, Reads).Select(_ => Measured.RunAsync(() => ReadAsync(perf, provider, pool, orderId, ct))).ToArray();
            await WaitUntilAsync(() => provider.InFlight == atOnce && pool.Waiting == Reads - atOnce, ct);
            var (busy, waiting) = (pool.Busy, pool.Waiting);
            answer.SetResult();
            var read = await Task.WhenAll(reads);

            Assert.Equal(perf == FixedPerfSwitch.AllNaive ? (Threads, Reads - Threads) : (0, 0), (busy, waiting));
            Assert.Equal(atOnce, provider.MaxInFlight);
            Assert.All(read, r => Assert.NotNull(r.Result?.Provider));
        }
    }

    private Task<OrderPaymentStatus?> ReadAsync(IPerfSwitch perf, FakePaymentProvider provider, long orderId, CancellationToken ct) =>
        ReadAsync(perf, provider, NewPool(), orderId, ct);

    private async Task<OrderPaymentStatus?> ReadAsync(IPerfSwitch perf, FakePaymentProvider provider, FixedWorkerPool pool, long orderId, CancellationToken ct)
    {
        await using var db = database.NewContext();
        // The client as the service builds it: through the interceptor that counts payment calls (and blocking ones).
        var client = new PaymentProvider.PaymentProviderClient(provider.Intercept(new PerfGrpcClientInterceptor()));
        return await new PaymentStatusReader(db, client, pool, perf).ReadAsync(orderId, ct);
    }

    private static FixedWorkerPool NewPool() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    /// <summary>Waits for a state the code under test reaches on its own, failing after a generous while rather than hanging.</summary>
    private static async Task WaitUntilAsync(Func<bool> reached, CancellationToken ct)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(60);
        while (!reached())
        {
            Assert.True(DateTime.UtcNow < giveUp, "The reads did not reach the state the test waits for.");
            await Task.Delay(10, ct);
        }
    }

    private async Task<long> OrderWithAProviderPaymentAsync(CancellationToken ct)
    {
        await using var db = database.NewContext();
        return await db.Payments.Where(p => p.ProviderPaymentId != null).OrderBy(p => p.OrderId).Select(p => p.OrderId).FirstAsync(ct);
    }
}
