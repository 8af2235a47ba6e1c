using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.OrdersService.Payments;
using PerfReference.Payments.V1;
using Polly;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// The reconciler against the provider: an authorisation whose key no stored payment record has is
/// voided; one whose record exists (its order will be captured) is left alone; each round asks only
/// for what is new since the last.
/// </summary>
public sealed class PaymentReconcilerTests(OrdersDatabaseFixture database)
{
    /// <summary>The provider's page (PaymentGateway.ListAsync asks for 500 at a time).</summary>
    private const int PageSize = 500;

    [Fact]
    public async Task AnAuthorisationWithoutAStoredOrderIsVoidedAndOneWithAnOrderIsNot()
    {
        var ct = TestContext.Current.CancellationToken;
        var stored = await StoredPaymentKeyAsync(ct);
        var provider = new FakePaymentProvider();
        provider.Listed.Add(Authorization("pay_with_order", stored));
        provider.Listed.Add(Authorization("pay_orphan", $"checkout:{Guid.NewGuid():N}"));

        var released = await Reconciler(provider).ReconcileAsync(ct);

        Assert.Equal(1, released);
        Assert.Equal(["ListPayments", "Void pay_orphan"], provider.Calls);
    }

    [Fact]
    public async Task AnIdleRoundAsksTheProviderOnceHoweverLongTheHistory()
    {
        var ct = TestContext.Current.CancellationToken;
        var stored = await StoredPaymentKeyAsync(ct);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new PaymentReconciliationOptions();
        var provider = new FakePaymentProvider();
        // Six days of open authorisations whose orders are stored (to be captured): three pages' worth.
        for (var i = 0; i < 3 * PageSize - 100; i++)
        {
            provider.Listed.Add(Authorization($"pay_history_{i}", stored, clock.GetUtcNow() - TimeSpan.FromDays(6) + TimeSpan.FromMinutes(5 * i)));
        }

        var reconciler = Reconciler(provider, clock);

        Assert.Equal(0, await reconciler.ReconcileAsync(ct)); // the first round of a process looks at the whole lookback
        Assert.Equal(3, provider.Calls.Count);
        clock.Advance(options.Interval);
        Assert.Equal(0, await reconciler.ReconcileAsync(ct)); // idle: nothing new
        clock.Advance(options.Interval);
        Assert.Equal(0, await reconciler.ReconcileAsync(ct));

        Assert.Equal(Enumerable.Repeat("ListPayments", 5), provider.Calls);
        // Each round starts where the one before it stopped: no window looked at twice, none skipped.
        var windows = provider.ListRequests.Where(r => r.PageToken.Length == 0).Select(r => (From: r.CreatedFrom.ToDateTimeOffset(), Before: r.CreatedBefore.ToDateTimeOffset())).ToArray();
        Assert.Equal(clock.GetUtcNow() - 2 * options.Interval - options.Lookback, windows[0].From);
        Assert.Equal(windows[0].Before, windows[1].From);
        Assert.Equal(windows[1].Before, windows[2].From);
        Assert.Equal(clock.GetUtcNow() - options.Grace, windows[2].Before);
    }

    [Fact]
    public async Task AnOrphanAuthorisedSinceTheLastRoundIsVoidedOnceItsGraceHasPassed()
    {
        var ct = TestContext.Current.CancellationToken;
        var (reconciler, provider, clock, options) = await AfterAFirstRoundAsync("pay_new_orphan", ct);

        clock.Advance(options.Interval);
        Assert.Equal(0, await reconciler.ReconcileAsync(ct)); // within its grace: its order may still be on its way
        clock.Advance(options.Grace);
        Assert.Equal(1, await reconciler.ReconcileAsync(ct));
        clock.Advance(options.Interval);
        Assert.Equal(0, await reconciler.ReconcileAsync(ct)); // looked at for good: not listed again

        Assert.Equal(["ListPayments", "ListPayments", "ListPayments", "Void pay_new_orphan", "ListPayments"], provider.Calls);
    }

    [Fact]
    public async Task ARoundThatFailsLeavesItsWindowToTheNext()
    {
        var ct = TestContext.Current.CancellationToken;
        var (reconciler, provider, clock, options) = await AfterAFirstRoundAsync("pay_orphan_during_outage", ct);
        clock.Advance(options.Grace + options.Interval);

        provider.FailWith = Grpc.Core.StatusCode.Unavailable; // the void fails: the round does not complete
        await Assert.ThrowsAnyAsync<Exception>(() => reconciler.ReconcileAsync(ct));
        provider.FailWith = null;
        clock.Advance(options.Interval);

        Assert.Equal(1, await reconciler.ReconcileAsync(ct));
    }

    /// <summary>A reconciler whose first round found nothing, and an orphan authorised just after it.</summary>
    private async Task<(PaymentReconciler, FakePaymentProvider, FakeTimeProvider, PaymentReconciliationOptions)> AfterAFirstRoundAsync(string orphan, CancellationToken ct)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var provider = new FakePaymentProvider();
        var reconciler = Reconciler(provider, clock);
        Assert.Equal(0, await reconciler.ReconcileAsync(ct));
        provider.Listed.Add(Authorization(orphan, $"checkout:{Guid.NewGuid():N}", clock.GetUtcNow()));
        return (reconciler, provider, clock, new PaymentReconciliationOptions());
    }

    private PaymentReconciler Reconciler(FakePaymentProvider provider) => Reconciler(provider, TimeProvider.System);

    private PaymentReconciler Reconciler(FakePaymentProvider provider, TimeProvider clock)
    {
        var services = new ServiceCollection()
            .AddMetrics()
            .AddSingleton(clock)
            .AddSingleton(provider.Client)
            .AddKeyedSingleton(PaymentResilience.PipelineKey, ResiliencePipeline.Empty)
            .AddSingleton<PaymentCircuit>()
            .AddSingleton(Options.Create(new PaymentGatewayOptions()))
            .AddScoped<PaymentGateway>()
            .AddScoped(_ => database.NewContext())
            .BuildServiceProvider();
        return new PaymentReconciler(services.GetRequiredService<IServiceScopeFactory>(), Options.Create(new PaymentReconciliationOptions()),
            services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), clock, NullLogger<PaymentReconciler>.Instance);
    }

    private static Payment Authorization(string id, string key) => Authorization(id, key, DateTimeOffset.UtcNow.AddMinutes(-5));

    private static Payment Authorization(string id, string key, DateTimeOffset createdAt) => new()
    {
        PaymentId = id,
        Status = PaymentStatus.Authorized,
        AuthorizationKey = key,
        AmountMinor = 1_000,
        CustomerReference = "customer-1",
        CreatedAt = Timestamp.FromDateTimeOffset(createdAt),
    };

    private async Task<string> StoredPaymentKeyAsync(CancellationToken ct)
    {
        await using var command = database.DataSource.CreateCommand("SELECT idempotency_key FROM payments ORDER BY id LIMIT 1");
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }
}
