using System.Collections.Concurrent;
using CsCheck;
using PerfReference.IntegrationTests.Infrastructure;

namespace PerfReference.IntegrationTests.Fuzz;

/// <summary>
/// Ten thousand generated requests that no valid client sends (<see cref="BadRequests"/>) against the
/// orders API: no 5xx, every error answered with problem details, and nothing written — no order,
/// no payment record, no payment at the provider.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class OrdersApiFuzzTests(TopologyFixture topology)
{
    private const int Requests = 10_000;

    [Fact]
    public async Task GeneratedBadRequestsGetProblemDetailsNeverA5xxAndWriteNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var rowsBefore = await RowsAsync(ct);
        var statuses = new ConcurrentDictionary<int, int>();
        var sent = 0;

        await BadRequests.Any.SampleAsync(async request =>
        {
            using var message = request.ToMessage();
            using var response = await topology.Orders.SendAsync(message, ct);
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            Interlocked.Increment(ref sent);
            Assert.True(status is >= 400 and < 500, $"{request} → {status} {await response.Content.ReadAsStringAsync(ct)}");
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                $"{request} → {status} with {response.Content.Headers.ContentType} instead of problem details");
        }, iter: Requests, threads: 4, seed: null);

        Assert.Equal(Requests, sent);
        Assert.Equal(rowsBefore, await RowsAsync(ct));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} × {s.Value}")));
    }

    private async Task<string> RowsAsync(CancellationToken ct) =>
        $"{await topology.ScalarAsync("SELECT count(*) FROM orders", ct)} orders, {await topology.ScalarAsync("SELECT count(*) FROM payments", ct)} payments, " +
        $"{await topology.ScalarAsync("SELECT count(*) FROM order_lines", ct)} lines";
}
