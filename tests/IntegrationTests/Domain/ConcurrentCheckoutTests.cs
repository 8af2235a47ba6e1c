using System.Net;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.OrdersDatabase.Payments;

namespace PerfReference.IntegrationTests.Domain;

[Collection(TopologyCollection.Name)]
public sealed class ConcurrentCheckoutTests(TopologyFixture topology)
{
    [Fact]
    public async Task TwoHundredConcurrentCheckoutsPlaceTwoHundredOrdersWithConsistentTotals()
    {
        var ct = TestContext.Current.CancellationToken;
        var keys = Enumerable.Range(0, 200).Select(_ => Checkouts.NewKey()).ToArray();

        var responses = await Task.WhenAll(keys.Select((key, i) => SendUntilAnsweredAsync(() =>
        {
            var request = Checkouts.Request(1 + i % 50, [(1 + i % 40, 1 + i % 3), (41 + i % 9, 1)], key);
            // A burst of 200 blocking payment calls starves a 2-core machine's thread pool until
            // the calls pass their deadline: that is the naive payment-async symptom, measured in
            // the lab. This test is about consistency under concurrency, so it runs the async payment path.
            request.Headers.Add("X-Perf-Variant", "naive, payment-async=optimized");
            return request;
        }, ct)));

        // Placed (201) when the provider answered within the attempt timeout; taken with its payment
        // pending (202) when a 2-core machine this busy made it wait longer; or its own order replayed
        // (200) when its write, or the request, was retried after the order was stored (EF retries a
        // transient failure, which may come after the commit; the key makes the retry find the order).
        // Either way, stored, once.
        var unexpected = await Task.WhenAll(responses.Where(r => r.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Accepted or HttpStatusCode.OK))
            .Select(async r => $"{(int)r.StatusCode}: {await r.Content.ReadAsStringAsync(ct)}"));
        Assert.True(unexpected.Length == 0, $"{unexpected.Length} of 200 checkouts were neither placed, taken nor replayed:\n{string.Join('\n', unexpected.Distinct())}");
        var orders = await Task.WhenAll(responses.Select(r => Checkouts.ReadOrderAsync(r, ct)));
        Assert.Equal(200, orders.Select(o => o.Id).Distinct().Count());

        // The payment worker captures every one of them (and authorises those taken pending first), each once.
        var orderIds = orders.Select(o => o.Id).ToArray();
        await OrderBooks.WaitUntilPaidAsync(topology.OrdersDb, orderIds, TimeSpan.FromMinutes(2), ct);

        var keyArray = keys.ToArray();
        Assert.Equal(200, await topology.ScalarAsync("SELECT count(*) FROM orders WHERE idempotency_key = ANY($1)", ct, (object)keyArray));
        Assert.Equal(200, await topology.ScalarAsync(
            "SELECT count(DISTINCT p.provider_payment_id) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.idempotency_key = ANY($1) AND p.status = $2 AND p.amount_minor = o.total_minor",
            ct, (object)keyArray, (int)PaymentRecordStatus.Captured));
        Assert.Equal(orders.Sum(o => o.TotalMinor), await topology.ScalarAsync("SELECT sum(total_minor) FROM orders WHERE idempotency_key = ANY($1)", ct, (object)keyArray));
        Assert.Equal(0, await topology.ScalarAsync(
            """
            SELECT count(*) FROM orders o
            WHERE o.idempotency_key = ANY($1)
              AND o.subtotal_minor <> (SELECT sum(line_total_minor) FROM order_lines l WHERE l.order_id = o.id)
            """, ct, (object)keyArray));
    }

    /// <summary>
    /// As a well-behaved client sends it: again with the same Idempotency-Key after a 503's Retry-After (a burst
    /// this size can find a grain call or the database past its deadline), up to five attempts.
    /// </summary>
    private async Task<HttpResponseMessage> SendUntilAnsweredAsync(Func<HttpRequestMessage> checkout, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = checkout();
            var response = await topology.Orders.SendAsync(request, ct);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 5)
            {
                return response;
            }

            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(wait, ct);
        }
    }
}
