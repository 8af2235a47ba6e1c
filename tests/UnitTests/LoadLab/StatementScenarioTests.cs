using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfReference.LoadLab.Scenarios;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// The serialization scenario reads statements nothing else the lab grows: customers 201..300 where the data set has them,
/// so a data set that served many runs gives the same statements as a fresh one.
/// </summary>
public sealed class StatementScenarioTests
{
    [Theory]
    [InlineData(300, "customers 201..300", "api/customers/201/statement", "api/customers/300/statement")]
    [InlineData(100, "customers 1..100 (this data set has no customer 300: the lab's checkouts grow these statements between runs)",
        "api/customers/1/statement", "api/customers/100/statement")]
    public async Task StatementsAreReadPastTheCustomersTheLabOrdersForWhereTheDataSetHasThem(int customers, string setup, string firstRequest, string hundredthRequest)
    {
        await using var app = await LoopbackServer.StartAsync(routes => routes.MapGet("/api/customers/{id:long}/statement", (long id) =>
            id <= customers ? Results.Json(new { orders = Array.Empty<object>() }) : Results.NotFound()));
        using var http = new HttpClient { BaseAddress = LoopbackServer.BaseUrl(app) };

        var prepared = await ScenarioSetups.ReadStatements(http, TestContext.Current.CancellationToken);

        Assert.Equal(setup, prepared.Setup);
        Assert.Equal(firstRequest, prepared.CreateRequest(0).RequestUri!.ToString());
        Assert.Equal(hundredthRequest, prepared.CreateRequest(99).RequestUri!.ToString());
        Assert.Equal("api/customers/" + firstRequest.Split('/')[2] + "/statement", prepared.CreateRequest(100).RequestUri!.ToString()); // and round again
        Assert.Equal(100, prepared.WorkingSet);
    }
}
