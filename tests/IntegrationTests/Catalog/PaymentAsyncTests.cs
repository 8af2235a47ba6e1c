using System.Net;
using System.Net.Http.Json;
using Google.Protobuf;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.OrdersDatabase.Payments;
using static PerfReference.TestSupport.PerfHeaders;
using PerfReference.Payments.V1;
using PerfReference.Performance;

namespace PerfReference.IntegrationTests.Catalog;

/// <summary>
/// payment-async: naive blocks the request on the provider twice (authorise, capture); optimized
/// authorises once through its resilience pipeline and leaves the capture to the payment worker,
/// and during a provider outage still takes every order, each charged exactly once afterwards.
/// Every test leaves the provider at its default and the circuit closed, with nothing left to settle.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class PaymentAsyncTests(TopologyFixture topology)
{
    private const string Optimized = "naive, payment-async=optimized";
    private const string Naive = "naive";
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(2);

    /// <summary>More than the breaker's sampling window: by then every call it judges has failed.</summary>
    private static readonly TimeSpan CircuitOpenTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task OptimizedAuthorisesInTheRequestAndTheWorkerCapturesNaiveDoesBothInTheRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        await topology.WaitUntilPaymentsCircuitClosedAsync(ct); // a circuit a test before opened would refuse the authorisation

        using var naive = await CheckoutAsync(Naive, 81, [(1, 1), (2, 1)], Checkouts.NewKey(), ct);
        using var optimized = await CheckoutAsync(Optimized, 81, [(1, 1), (2, 1)], Checkouts.NewKey(), ct);

        Assert.Equal(HttpStatusCode.Created, naive.StatusCode);
        Assert.Equal("2", Header(naive, "X-Perf-Payment-Calls"));        // authorise, capture
        Assert.Equal("Paid", (await Checkouts.ReadOrderAsync(naive, ct)).Status);

        Assert.Equal(HttpStatusCode.Created, optimized.StatusCode);
        Assert.Equal("1", Header(optimized, "X-Perf-Payment-Calls"));    // authorise only: capture is off the request path
        var placed = await Checkouts.ReadOrderAsync(optimized, ct);
        Assert.Equal("Placed", placed.Status);
        Assert.Equal("Authorized", placed.Payment!.Status);

        await WaitUntilPaidAsync([placed.Id], ct);
        await AssertChargedOnceAsync(placed.Id, ct);
    }

    [Fact]
    public async Task DeferredTheCheckoutCallsNoProviderAndTheWorkerAuthorisesAndCapturesItOnce()
    {
        var ct = TestContext.Current.CancellationToken;

        using var deferred = await CheckoutAsync("naive, payment-deferred=optimized", 87, [(1, 1), (3, 2)], Checkouts.NewKey(), ct, entry: PerfCatalog.PaymentDeferred.Id);

        Assert.Equal(HttpStatusCode.Accepted, deferred.StatusCode);
        Assert.Equal("0", Header(deferred, "X-Perf-Payment-Calls"));     // the provider is not on the request path
        var accepted = await Checkouts.ReadOrderAsync(deferred, ct);
        Assert.Equal("PendingPayment", accepted.Status);
        Assert.Equal("Pending", accepted.Payment!.Status);

        await WaitUntilPaidAsync([accepted.Id], ct);
        await AssertChargedOnceAsync(accepted.Id, ct);
    }

    [Fact]
    public async Task DuringAProviderOutageOptimizedTakesEveryOrderAndChargesEachExactlyOnceAfterwards()
    {
        var ct = TestContext.Current.CancellationToken;
        long[] customers = [82, 83, 84, 85];
        var keys = Enumerable.Range(0, 12).Select(_ => Checkouts.NewKey()).ToArray();
        var naiveKey = Checkouts.NewKey();
        var accepted = new List<OrderView>();
        await topology.WaitUntilPaymentsCircuitClosedAsync(ct);

        await topology.SetPaymentsBehaviourAsync(new ProviderBehaviour { LatencyMs = 0, OutageSeconds = 300 }, ct);
        try
        {
            // Naive: refused fast, nothing stored, nothing at the provider.
            using var refused = await CheckoutAsync(Naive, customers[0], [(3, 1)], naiveKey, ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Contains("nothing was charged", await refused.Content.ReadAsStringAsync(ct));

            // Optimized: every order taken, its payment pending.
            for (var i = 0; i < keys.Length; i++)
            {
                using var response = await CheckoutAsync(Optimized, customers[i % customers.Length], [(1 + i % 20, 1), (21 + i % 20, 2)], keys[i], ct);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                var order = await Checkouts.ReadOrderAsync(response, ct);
                Assert.Equal($"/api/orders/{order.Id}", response.Headers.Location?.ToString());
                Assert.Equal("PendingPayment", order.Status);
                Assert.Equal("Pending", order.Payment!.Status);
                Assert.Null(order.Payment.ProviderPaymentId);
                accepted.Add(order);
            }
        }
        finally
        {
            await topology.ResetPaymentsBehaviourAsync(); // the outage ends
        }

        Assert.Equal(0, await topology.ScalarAsync("SELECT count(*) FROM orders WHERE idempotency_key = $1", ct, naiveKey));
        Assert.False(await topology.Redis.KeyExistsAsync($"payments:idempotency:authorize:checkout:{naiveKey}"));

        // None lost: once the provider is back the worker authorises and captures every order.
        await WaitUntilPaidAsync(accepted.Select(o => o.Id).ToArray(), ct);
        foreach (var order in accepted)
        {
            await AssertChargedOnceAsync(order.Id, ct);
        }

        // No double charge: the provider holds exactly one payment per order for these customers, each captured once.
        var atProvider = await ProviderPaymentsOfAsync(customers.Select(c => $"customer-{c}").ToHashSet(), ct);
        Assert.Equal(keys.Length, atProvider.Count);
        Assert.All(atProvider, p => Assert.Equal(PaymentStatus.Captured, p.Status));
        Assert.Equal(accepted.Sum(o => o.TotalMinor), atProvider.Sum(p => p.CapturedMinor));
        await topology.WaitUntilPaymentsCircuitClosedAsync(ct);
    }

    [Fact]
    public async Task WhenEveryCallFailsTheCircuitOpensAndCheckoutsAreTakenWithoutCallingTheProvider()
    {
        var ct = TestContext.Current.CancellationToken;
        var taken = new List<long>();
        await topology.WaitUntilPaymentsCircuitClosedAsync(ct);

        await topology.SetPaymentsBehaviourAsync(new ProviderBehaviour { LatencyMs = 0, ErrorRate = 1 }, ct);
        try
        {
            // The first failing checkout tries the provider three times (the call and two retries),
            // then takes the order with its payment pending. Fewer only if the circuit opened between
            // its tries: the reconciler's calls, once a second here, fail too and count as much as its own.
            using var first = await CheckoutAsync(Optimized, 86, [(5, 1)], Checkouts.NewKey(), ct);
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            var firstCalls = int.Parse(Header(first, "X-Perf-Payment-Calls"));
            Assert.InRange(firstCalls, 1, 3);
            if (firstCalls < 3)
            {
                Assert.Equal("open", (await topology.PaymentsDiagnosticsAsync(ct)).Circuit);
            }

            taken.Add((await Checkouts.ReadOrderAsync(first, ct)).Id);

            // More failures (the checkouts', and the worker's attempts at the pending payments) open the
            // circuit. How many it takes depends on what came before: the breaker judges the failure
            // ratio over its 10 s window, which may still hold the previous test's successful calls.
            var deadline = DateTime.UtcNow + CircuitOpenTimeout;
            for (var i = 0; (await topology.PaymentsDiagnosticsAsync(ct)).Circuit != "open" && DateTime.UtcNow < deadline; i++)
            {
                using var failing = await CheckoutAsync(Optimized, 86, [(6 + i % 20, 1)], Checkouts.NewKey(), ct);
                Assert.Equal(HttpStatusCode.Accepted, failing.StatusCode);
                taken.Add((await Checkouts.ReadOrderAsync(failing, ct)).Id);
            }

            var diagnostics = await topology.PaymentsDiagnosticsAsync(ct);
            Assert.Equal("open", diagnostics.Circuit);
            Assert.Equal(1, diagnostics.CircuitState);

            // The open circuit refuses the call itself: the order is taken without asking the provider.
            using var refusedByCircuit = await CheckoutAsync(Optimized, 86, [(30, 1)], Checkouts.NewKey(), ct);
            Assert.Equal(HttpStatusCode.Accepted, refusedByCircuit.StatusCode);
            Assert.Equal("0", Header(refusedByCircuit, "X-Perf-Payment-Calls"));
            taken.Add((await Checkouts.ReadOrderAsync(refusedByCircuit, ct)).Id);
        }
        finally
        {
            await topology.ResetPaymentsBehaviourAsync();
        }

        await WaitUntilPaidAsync(taken.ToArray(), ct);
        foreach (var orderId in taken)
        {
            await AssertChargedOnceAsync(orderId, ct);
        }

        await topology.WaitUntilPaymentsCircuitClosedAsync(ct);
    }

    private async Task<HttpResponseMessage> CheckoutAsync(string variant, long customerId, (long, int)[] lines, string key, CancellationToken ct, string? entry = null)
    {
        var request = Checkouts.Request(customerId, lines, key);
        request.Headers.Add("X-Perf-Variant", variant);
        request.Headers.Add("X-Perf-Entry", entry ?? PerfCatalog.PaymentAsync.Id);
        return await topology.Orders.SendAsync(request, ct);
    }

    /// <summary>One payment record, captured for the order's total, and the provider's payment captured once for it.</summary>
    private async Task AssertChargedOnceAsync(long orderId, CancellationToken ct)
    {
        var order = (await topology.Orders.GetFromJsonAsync<OrderView>($"/api/orders/{orderId}", Checkouts.Json, ct))!;
        Assert.Equal("Paid", order.Status);
        Assert.Equal(1, await topology.ScalarAsync("SELECT count(*) FROM payments WHERE order_id = $1", ct, orderId));
        Assert.Equal(1, await topology.ScalarAsync(
            "SELECT count(*) FROM payments WHERE order_id = $1 AND status = $2 AND amount_minor = $3 AND next_attempt_at IS NULL",
            ct, orderId, (int)PaymentRecordStatus.Captured, order.TotalMinor));
        var atProvider = await topology.Payments.GetPaymentAsync(new GetPaymentRequest { PaymentId = order.Payment!.ProviderPaymentId }, cancellationToken: ct);
        Assert.Equal(PaymentStatus.Captured, atProvider.Status);
        Assert.Equal(order.TotalMinor, atProvider.CapturedMinor);
    }

    private Task WaitUntilPaidAsync(long[] orderIds, CancellationToken ct) =>
        OrderBooks.WaitUntilPaidAsync(topology.OrdersDb, orderIds, SettleTimeout, ct);

    /// <summary>Every payment the provider holds for these customer references (read from its Redis store).</summary>
    private async Task<List<Payment>> ProviderPaymentsOfAsync(IReadOnlySet<string> customerReferences, CancellationToken ct)
    {
        var payments = new List<Payment>();
        await foreach (var key in topology.RedisServer.KeysAsync(pattern: "payments:payment:*").WithCancellation(ct))
        {
            var payment = Payment.Parser.ParseFrom(ByteString.CopyFrom((byte[])(await topology.Redis.StringGetAsync(key))!));
            if (customerReferences.Contains(payment.CustomerReference))
            {
                payments.Add(payment);
            }
        }

        return payments;
    }
}
