using System.Net;
using System.Net.Http.Json;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersDatabase.Payments;
using PerfReference.Payments.V1;

namespace PerfReference.IntegrationTests.Domain;

[Collection(TopologyCollection.Name)]
public sealed class CheckoutTests(TopologyFixture topology)
{
    [Fact]
    public async Task CheckoutStoresOrderLinesAndPaymentChargesOnceAndCreditsTheCustomer()
    {
        var ct = TestContext.Current.CancellationToken;
        const long customerId = 11;
        var before = await GetCustomerAsync(customerId, ct);

        var response = await topology.Orders.SendAsync(Checkouts.Request(customerId, [(2, 3), (5, 1), (9, 2)], Checkouts.NewKey()), ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await Checkouts.ReadOrderAsync(response, ct);
        Assert.Equal($"/api/orders/{order.Id}", response.Headers.Location?.ToString());
        Assert.Equal("Paid", order.Status);
        Assert.Equal(3, order.Lines.Count);
        Assert.Equal(order.Lines.Sum(l => l.LineTotalMinor), order.SubtotalMinor);
        Assert.Equal(order.SubtotalMinor * before.DiscountPercent / 100, order.DiscountMinor);
        Assert.Equal(order.SubtotalMinor - order.DiscountMinor, order.TotalMinor);

        // The rows are in PostgreSQL: the order, its three lines, one captured payment of the total.
        Assert.Equal(1, await topology.ScalarAsync("SELECT count(*) FROM orders WHERE id = $1 AND total_minor = $2 AND status = $3", ct, order.Id, order.TotalMinor, (int)OrderStatus.Paid));
        Assert.Equal(3, await topology.ScalarAsync("SELECT count(*) FROM order_lines WHERE order_id = $1", ct, order.Id));
        Assert.Equal(1, await topology.ScalarAsync("SELECT count(*) FROM payments WHERE order_id = $1 AND status = $2 AND amount_minor = $3", ct, order.Id, (int)PaymentRecordStatus.Captured, order.TotalMinor));

        // The provider holds one captured payment of the total.
        var payment = await topology.Payments.GetPaymentAsync(new GetPaymentRequest { PaymentId = order.Payment!.ProviderPaymentId }, cancellationToken: ct);
        Assert.Equal(PaymentStatus.Captured, payment.Status);
        Assert.Equal(order.TotalMinor, payment.CapturedMinor);

        // GET returns the same order.
        var read = await topology.Orders.GetFromJsonAsync<OrderView>($"/api/orders/{order.Id}", Checkouts.Json, ct);
        Assert.Equal(order with { Lines = [] }, read! with { Lines = [] });
        Assert.Equal(order.Lines, read.Lines);

        // The customer grain credited the order: one point per whole euro.
        var after = await GetCustomerAsync(customerId, ct);
        Assert.Equal(before.OrderCount + 1, after.OrderCount);
        Assert.Equal(before.LoyaltyPoints + (int)(order.TotalMinor / 100), after.LoyaltyPoints);

        // The grain's state is persisted: both silos stopped and started again, one after the
        // other, and the customer still has the credit.
        foreach (var silo in topology.Run.InstanceIds("silo"))
        {
            await topology.Run.RestartProjectInstanceAsync(silo, ct);
        }

        var afterRestart = await GetCustomerWhileTheClusterSettlesAsync(customerId, ct);
        Assert.Equal(after.LoyaltyPoints, afterRestart.LoyaltyPoints);
        Assert.Equal(after.OrderCount, afterRestart.OrderCount);
    }

    [Fact]
    public async Task ACustomersOrdersArePagedNewestFirst()
    {
        var ct = TestContext.Current.CancellationToken;
        const long customerId = 12;
        var placed = new List<long>();
        foreach (var productId in new long[] { 3, 4, 6 })
        {
            var response = await topology.Orders.SendAsync(Checkouts.Request(customerId, [(productId, 1)]), ct);
            placed.Add((await Checkouts.ReadOrderAsync(response, ct)).Id);
        }

        var page = await topology.Orders.GetFromJsonAsync<PageView<OrderSummaryView>>($"/api/customers/{customerId}/orders?page=1&pageSize=2", Checkouts.Json, ct);

        Assert.NotNull(page);
        Assert.Equal(2, page.Items.Count);
        Assert.Equal(await topology.ScalarAsync("SELECT count(*) FROM orders WHERE customer_id = $1", ct, customerId), page.TotalCount);
        Assert.Equal([placed[2], placed[1]], page.Items.Select(o => o.Id));
    }

    [Fact]
    public async Task ProductsAreFilteredAndPaged()
    {
        var ct = TestContext.Current.CancellationToken;

        var page = await topology.Orders.GetFromJsonAsync<PageView<ProductView>>("/api/products?category=books&page=1&pageSize=5", Checkouts.Json, ct);

        Assert.NotNull(page);
        Assert.InRange(page.Items.Count, 1, 5);
        Assert.All(page.Items, p => Assert.Equal("books", p.Category));
        Assert.Equal(await topology.ScalarAsync("SELECT count(*) FROM products WHERE category = 'books' AND is_active", ct), page.TotalCount);
    }

    /// <summary>
    /// Right after a silo restart the orders service may still try the old silo's gateway: such a
    /// request must be answered 503 (retry), never 500, and the cluster must settle within a minute.
    /// </summary>
    private async Task<CustomerView> GetCustomerWhileTheClusterSettlesAsync(long customerId, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            using var response = await topology.Orders.GetAsync($"/api/customers/{customerId}", ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return (await response.Content.ReadFromJsonAsync<CustomerView>(Checkouts.Json, ct))!;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.True(DateTime.UtcNow < deadline, "The cluster did not settle within a minute of the silo restarts.");
            await Task.Delay(500, ct);
        }
    }

    private async Task<CustomerView> GetCustomerAsync(long customerId, CancellationToken ct) =>
        (await topology.Orders.GetFromJsonAsync<CustomerView>($"/api/customers/{customerId}", Checkouts.Json, ct))!;

    private sealed record PageView<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, long TotalCount);

    private sealed record OrderSummaryView(long Id, string Status, long TotalMinor, int LineCount);

    private sealed record ProductView(long Id, string Sku, string Name, string Category, long PriceMinor);
}
