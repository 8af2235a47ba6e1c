using System.Net;
using Microsoft.Playwright;
using PerfReference.BrowserTests.Infrastructure;
using PerfReference.Payments.V1;
using static Microsoft.Playwright.Assertions;

namespace PerfReference.BrowserTests.Walkthrough;

/// <summary>
/// payment-async's circuit breaker as an operator sees it: during a payments outage the optimized
/// checkout's breaker opens, and OrdersService's <c>payments.circuit.state</c> gauge reads 1 (open).
/// The provider is put back and the breaker closes again before the test ends.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class BreakerTests(DashboardFixture dashboard)
{
    private const string PerfMeter = "PerfReference.Performance";
    private const string CircuitGauge = "payments.circuit.state";
    private const string Optimized = "naive, payment-async=optimized";
    private const string Entry = "payment-async";
    private const long Customer = 15;

    /// <summary>
    /// Long enough for failing checkouts to open the breaker: it needs half of the calls in its 10 s
    /// window failing, and that window may still hold the earlier tests' successful calls.
    /// </summary>
    private static readonly TimeSpan CircuitOpenTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DuringAPaymentsOutageTheBreakerOpensAndItsGaugeReadsOne()
    {
        var ct = TestContext.Current.CancellationToken;
        var orders = dashboard.OrdersApi;
        var usual = await dashboard.GetPaymentsBehaviourAsync(ct);

        await dashboard.SetPaymentsBehaviourAsync(new ProviderBehaviour { LatencyMs = 0, ErrorRate = 1 }, ct);
        try
        {
            // Optimized checkouts keep taking orders (payment pending) while their failures open the breaker.
            var diagnostics = await orders.PaymentsDiagnosticsAsync(ct);
            var deadline = DateTime.UtcNow + CircuitOpenTimeout;
            for (var i = 0; diagnostics.Circuit != "open" && DateTime.UtcNow < deadline; i++)
            {
                using var checkout = await orders.CheckoutAsync(Customer, [(20 + i % 20, 1)], Optimized, Entry, ct);
                Assert.Equal(HttpStatusCode.Accepted, checkout.StatusCode);
                diagnostics = await orders.PaymentsDiagnosticsAsync(ct);
            }

            Assert.Equal(new PaymentsDiagnostics("open", 1, diagnostics.OutstandingPayments), diagnostics);

            await using var page = await DashboardPage.OpenAsync(dashboard);
            await page.RunAsync(nameof(DuringAPaymentsOutageTheBreakerOpensAndItsGaugeReadsOne), async () =>
            {
                // The table view lists the gauge's latest values, one row per export: 1 while the circuit is open.
                await page.OpenMetricAsync("orders", PerfMeter, CircuitGauge, MetricView.Table);
                await Expect(page.Page.GetByRole(AriaRole.Heading, new() { Name = CircuitGauge })).ToBeVisibleAsync();
                await page.ExpectVisibleReloadingOnCrashAsync(page.MetricValueCells("1").First, 60_000);
                await page.ScreenshotAsync("12-breaker-open");
            });
        }
        finally
        {
            // The outage ends; the worker settles the pending payments and the breaker closes.
            usual.OutageSeconds = 0;
            await dashboard.SetPaymentsBehaviourAsync(usual, CancellationToken.None);
            await WaitUntilClosedAndSettledAsync(orders);
        }
    }

    private static async Task WaitUntilClosedAndSettledAsync(OrdersClient orders)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (await orders.PaymentsDiagnosticsAsync(CancellationToken.None) is var diagnostics && diagnostics is not { Circuit: "closed", OutstandingPayments: 0 })
        {
            Assert.True(DateTime.UtcNow < deadline, $"Two minutes after the outage the payments are not back to normal: {diagnostics}");
            await Task.Delay(500);
        }
    }
}
