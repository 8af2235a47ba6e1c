using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.OrdersService.Payments;
using PerfReference.Payments.V1;
using Polly;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// The reconciler against the provider: an authorisation whose key no stored payment record has is
/// voided; one whose record exists (its order will be captured) is left alone.
/// </summary>
public sealed class PaymentReconcilerTests(OrdersDatabaseFixture database)
{
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

    private PaymentReconciler Reconciler(FakePaymentProvider provider)
    {
        var services = new ServiceCollection()
            .AddMetrics()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(provider.Client)
            .AddKeyedSingleton(PaymentResilience.PipelineKey, ResiliencePipeline.Empty)
            .AddSingleton<PaymentCircuit>()
            .AddSingleton(Options.Create(new PaymentGatewayOptions()))
            .AddScoped<PaymentGateway>()
            .AddScoped(_ => database.NewContext())
            .BuildServiceProvider();
        return new PaymentReconciler(services.GetRequiredService<IServiceScopeFactory>(), Options.Create(new PaymentReconciliationOptions()),
            services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), TimeProvider.System, NullLogger<PaymentReconciler>.Instance);
    }

    private static Payment Authorization(string id, string key) => new()
    {
        PaymentId = id,
        Status = PaymentStatus.Authorized,
        AuthorizationKey = key,
        AmountMinor = 1_000,
        CustomerReference = "customer-1",
        CreatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-5)),
    };

    private async Task<string> StoredPaymentKeyAsync(CancellationToken ct)
    {
        await using var command = database.DataSource.CreateCommand("SELECT idempotency_key FROM payments ORDER BY id LIMIT 1");
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }
}
