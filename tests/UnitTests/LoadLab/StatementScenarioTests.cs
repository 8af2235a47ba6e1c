using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfReference.LoadLab.Scenarios;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// The statement scenarios read statements nothing else the lab grows — serialization customers 201..300, compression
/// customer 101 — so a data set that served many runs gives the same statements as a fresh one.
/// </summary>
public sealed class StatementScenarioTests
{
    /// <summary>
    /// Customers 201..300 where the data set has them; on the tiny data set (customers 1..100) the lab's own, while their
    /// statements are still the size a fresh data set gives them, and the setup says that they grow.
    /// </summary>
    [Theory]
    [InlineData(300, "customers 201..300", "api/customers/201/statement", "api/customers/300/statement")]
    [InlineData(100, "customers 1..100 (this data set has no customer 300: the lab's checkouts grow these statements between runs)",
        "api/customers/1/statement", "api/customers/100/statement")]
    public async Task StatementsAreReadPastTheCustomersTheLabOrdersForWhereTheDataSetHasThem(int customers, string setup, string firstRequest, string hundredthRequest)
    {
        await using var app = await StatementServer(customers);
        using var http = new HttpClient { BaseAddress = LoopbackServer.BaseUrl(app) };

        var prepared = await ScenarioSetups.ReadStatements(http, TestContext.Current.CancellationToken);

        Assert.Equal(setup, prepared.Setup);
        Assert.Equal(firstRequest, prepared.CreateRequest(0).RequestUri!.ToString());
        Assert.Equal(hundredthRequest, prepared.CreateRequest(99).RequestUri!.ToString());
        Assert.Equal(firstRequest, prepared.CreateRequest(100).RequestUri!.ToString()); // and round again
        Assert.Equal(100, prepared.WorkingSet);
    }

    /// <summary>
    /// But once the lab's own orders have grown those statements far past that size, both scenarios refuse and name what to
    /// load: read anyway, they measured the lab's history — on a data set that had served many runs the statements were
    /// megabytes and every request of a run timed out.
    /// </summary>
    [Fact]
    public async Task OnATinyDataSetTheLabsOrdersHaveGrownTheStatementScenariosRefuseAndSayWhatToLoad()
    {
        var grown = new string('x', ScenarioSetups.MostFallbackStatementBytes);
        await using var app = await LoopbackServer.StartAsync(routes => routes.MapGet("/api/customers/{id:long}/statement", (long id) =>
            id <= 100 ? Results.Json(new { orders = Array.Empty<object>(), padding = grown }) : Results.NotFound()));
        using var http = new HttpClient { BaseAddress = LoopbackServer.BaseUrl(app) };
        var ct = TestContext.Current.CancellationToken;

        var serialization = await Assert.ThrowsAsync<ScenarioSetupException>(() => ScenarioSetups.ReadStatements(http, ct));
        var compression = await Assert.ThrowsAsync<ScenarioSetupException>(() => ScenarioSetups.ReadLargeStatement(http, ct));

        Assert.Contains("no customers 201..300", serialization.Message, StringComparison.Ordinal);
        Assert.Contains("no customer 101", compression.Message, StringComparison.Ordinal);
        Assert.All(new[] { serialization, compression }, error => Assert.Contains("start the `seed` resource", error.Message, StringComparison.Ordinal));
    }

    private static Task<WebApplication> StatementServer(int customers) =>
        LoopbackServer.StartAsync(routes => routes.MapGet("/api/customers/{id:long}/statement", (long id) =>
            id <= customers ? Results.Json(new { orders = Array.Empty<object>() }) : Results.NotFound()));
}
