using System.Data;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersService.Statements;
using PerfReference.Performance;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// serialization: a customer's statement written as the response, naive (the entity graph by
/// reflection, with the API's JSON options) and optimized (a projection, source-generated): the
/// same orders and totals, in at most a quarter of the bytes, without the internal columns.
/// </summary>
public sealed class SerializationPairTests(OrdersDatabaseFixture database)
{
    [Fact]
    public async Task TheOptimizedStatementHasTheSameOrdersInAQuarterOfTheBytes()
    {
        var ct = TestContext.Current.CancellationToken;
        var customerId = await CustomerWithMostOrdersAsync(ct);

        // Both variants read one snapshot: the test classes that run beside this one check out orders for the same
        // customers, and an order committed between the two reads would show in one statement only.
        // (A transaction of one's own runs inside the context's execution strategy, which retries it whole.)
        await using var db = database.NewContext();
        var (naive, optimized) = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var snapshot = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            return (await WriteAsync(db, FixedPerfSwitch.AllNaive, customerId, ct),
                await WriteAsync(db, FixedPerfSwitch.OnlyOptimized(PerfCatalog.Serialization), customerId, ct));
        });

        using var naiveJson = JsonDocument.Parse(naive);
        using var optimizedJson = JsonDocument.Parse(optimized);
        var orders = Orders(optimizedJson.RootElement.GetProperty("orders"));
        Assert.NotEmpty(orders);
        Assert.Equal(Orders(naiveJson.RootElement.GetProperty("orders")), orders);
        Assert.Contains("\"requestHash\"", System.Text.Encoding.UTF8.GetString(naive));
        Assert.DoesNotContain("\"requestHash\"", System.Text.Encoding.UTF8.GetString(optimized));
        Assert.True(optimized.Length * 4 <= naive.Length, $"{optimized.Length} bytes optimized against {naive.Length} naive.");
    }

    [Fact]
    public async Task AnUnknownCustomerHasNoStatementInEitherVariant()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var perf in new[] { FixedPerfSwitch.AllNaive, FixedPerfSwitch.OnlyOptimized(PerfCatalog.Serialization) })
        {
            await using var db = database.NewContext();
            Assert.Null(await new StatementReader(db, perf).ReadAsync(999_999_999, ct));
        }
    }

    /// <summary>The statement's response body, as the API writes it.</summary>
    private static async Task<byte[]> WriteAsync(OrdersDbContext db, IPerfSwitch perf, long customerId, CancellationToken ct)
    {
        var result = await new StatementReader(db, perf).ReadAsync(customerId, ct) ?? throw new InvalidOperationException($"No statement for {customerId}.");

        var services = new ServiceCollection().AddLogging();
        // The API's options (src/OrdersService/Extensions/ApplicationServiceExtensions.cs): web defaults, enums as strings.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        var http = new DefaultHttpContext { RequestServices = services.BuildServiceProvider() };
        using var body = new MemoryStream();
        http.Response.Body = body;
        await result.ExecuteAsync(http);
        return body.ToArray();
    }

    private async Task<long> CustomerWithMostOrdersAsync(CancellationToken ct)
    {
        await using var command = database.DataSource.CreateCommand("SELECT customer_id FROM orders GROUP BY customer_id ORDER BY count(*) DESC, customer_id LIMIT 1");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static List<(long Id, long TotalMinor, int Lines)> Orders(JsonElement orders) =>
        [.. orders.EnumerateArray().Select(o => (o.GetProperty("id").GetInt64(), o.GetProperty("totalMinor").GetInt64(), o.GetProperty("lines").GetArrayLength()))];
}
