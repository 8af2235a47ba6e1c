using System.Text.RegularExpressions;
using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PerfReference.IntegrationTests.Infrastructure;

namespace PerfReference.IntegrationTests.Topology;

[Collection(TopologyCollection.Name)]
public sealed class TopologyTests(TopologyFixture topology)
{
    [Fact]
    public async Task EveryResourceIsRunningAndHealthy()
    {
        await UpAfterAnyRestartAsync();
        foreach (var name in AppHostRun.HealthyResources)
        {
            var instances = topology.Run.Instances(name);
            Assert.NotEmpty(instances);
            Assert.All(instances, snapshot =>
            {
                Assert.Equal(KnownResourceStates.Running, snapshot.State?.Text);
                Assert.Equal(HealthStatus.Healthy, snapshot.HealthStatus);
            });
        }
    }

    [Fact]
    public async Task TheSiloRunsAsTwoProcesses()
    {
        await UpAfterAnyRestartAsync();
        var silos = topology.Run.Instances("silo");
        Assert.Equal(2, silos.Count);
        Assert.All(silos, silo => Assert.Equal(KnownResourceStates.Running, silo.State?.Text));
    }

    [Fact]
    public void MigrationsRanToCompletion()
    {
        var migrations = Assert.Single(topology.Run.Instances("migrations"));
        Assert.Equal(KnownResourceStates.Finished, migrations.State?.Text);
        Assert.Equal(0, migrations.ExitCode);
    }

    [Fact]
    public async Task RoundtripCrossesGrainDatabaseRedisAndPayments()
    {
        var ct = TestContext.Current.CancellationToken;
        const long customerId = 3;

        string expectedName;
        await using (var db = await topology.OpenOrdersDbAsync(ct))
        await using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT name FROM customers WHERE id = $1";
            command.Parameters.Add(new() { Value = customerId });
            expectedName = (string)(await command.ExecuteScalarAsync(ct))!;
        }

        var response = await topology.Orders.GetAsync($"/api/diagnostics/roundtrip/{customerId}", ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<RoundtripReport>(ct);
        Assert.NotNull(report);
        Assert.Equal(customerId, report.Customer.CustomerId);
        Assert.Equal(expectedName, report.Customer.Name);
        Assert.Equal(await topology.ScalarAsync("SELECT count(*) FROM orders WHERE customer_id = $1", ct, customerId), report.OrderCount);
        Assert.True(report.RoundtripNumber >= 1);
        Assert.Equal("NotFound", report.PaymentProviderAnswer);

        // The grain answered from state it persisted to grain storage in Redis, not from memory alone.
        var grainStateKeys = await GrainStateKeysAsync(customerId);
        var stored = await topology.Redis.HashGetAllAsync(Assert.Single(grainStateKeys));
        Assert.Contains(stored, field => field.Value.ToString().Contains(expectedName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownCustomerIsA404ProblemDetails()
    {
        var ct = TestContext.Current.CancellationToken;

        var response = await topology.Orders.GetAsync("/api/customers/987654321", ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await GrainStateKeysAsync(987654321));
    }

    /// <summary>Orleans names a grain "customer/{id}" (type, then key); its storage key contains that id as a whole path segment.</summary>
    private static Regex GrainKeyPattern(long customerId) => new($"(^|/)customer/{customerId}(/|$)");

    private async Task<List<string>> GrainStateKeysAsync(long customerId)
    {
        var keys = new List<string>();
        await foreach (var key in topology.RedisServer.KeysAsync(pattern: "*customer*"))
        {
            var text = key.ToString();
            if (GrainKeyPattern(customerId).IsMatch(text))
            {
                keys.Add(text);
            }
        }

        return keys;
    }

    private sealed record RoundtripCustomer(long CustomerId, string Name);

    private sealed record RoundtripReport(RoundtripCustomer Customer, int OrderCount, long RoundtripNumber, string PaymentProviderAnswer);

    /// <summary>
    /// Another test of this collection restarts both silos (CheckoutTests: the grain's state survives): a silo met in the
    /// middle of that restart is stopping, not failed. What these tests pin is that the topology is up, so they wait for it.
    /// </summary>
    private Task UpAfterAnyRestartAsync() => topology.Run.WaitUntilUpAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
}
