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
    [Fact]
    public async Task StatementsAreReadPastTheCustomersTheLabOrdersFor()
    {
        await using var app = await StatementServer(customers: 300);
        using var http = new HttpClient { BaseAddress = LoopbackServer.BaseUrl(app) };

        var prepared = await ScenarioSetups.ReadStatements(http, TestContext.Current.CancellationToken);

        Assert.Equal("customers 201..300", prepared.Setup);
        Assert.Equal("api/customers/201/statement", prepared.CreateRequest(0).RequestUri!.ToString());
        Assert.Equal("api/customers/300/statement", prepared.CreateRequest(99).RequestUri!.ToString());
        Assert.Equal("api/customers/201/statement", prepared.CreateRequest(100).RequestUri!.ToString()); // and round again
        Assert.Equal(100, prepared.WorkingSet);
    }

    /// <summary>
    /// On the tiny data set (customers 1..100, whose orders every checkout of the lab adds to) both statement scenarios refuse,
    /// naming what to load: read anyway, they measured the lab's history — a data set that had served many runs gave
    /// statements of megabytes, and every request timed out.
    /// </summary>
    [Fact]
    public async Task OnTheTinyDataSetTheStatementScenariosRefuseAndSayWhatToLoad()
    {
        await using var app = await StatementServer(customers: 100);
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
