using System.Diagnostics;
using Aspire.Hosting.Testing;
using PerfReference.IntegrationTests.Infrastructure;

namespace PerfReference.IntegrationTests.Measurement;

/// <summary>Starts its own AppHost with the seed network profile: every database round trip then pays 5 ms.</summary>
public sealed class NetworkProfileTests
{
    [Fact]
    public async Task UnderTheSeedProfileEveryDatabaseRoundTripAndEveryClientRequestCostsAtLeastFiveMilliseconds()
    {
        var ct = TestContext.Current.CancellationToken;
        var stateDirectory = TestStateDirectory.Create("network-profile");
        try
        {
            await using var run = await AppHostRun.StartAsync(stateDirectory, ct, "Parameters:network-profile=seed");
            await run.WaitUntilUpAsync(TimeSpan.FromMinutes(3), ct);
            Assert.Equal(4, new[] { "postgres-link", "cache-link", "payments-link", "orders-link" }.Count(link => run.Instances(link).Count == 1));
            using var orders = run.App.CreateHttpClient("orders");

            for (var orderId = 1; orderId <= 5; orderId++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await orders.GetAsync($"/api/orders/{orderId}", ct);
                var elapsed = Stopwatch.GetElapsedTime(started);

                response.EnsureSuccessStatusCode();
                var roundTrips = int.Parse(response.Headers.GetValues("X-Perf-Db-Roundtrips").Single());
                Assert.True(elapsed >= TimeSpan.FromMilliseconds(5 * roundTrips),
                    $"Order {orderId}: {roundTrips} round trips took {elapsed.TotalMilliseconds:F1} ms, less than 5 ms each: the link is not shaped.");
            }

            // The client's side: a request through orders-link pays the profile's round trip before OrdersService sees it.
            var ordersLink = run.App.GetEndpoint("orders-link", "tcp");
            using var viaLink = new HttpClient { BaseAddress = new Uri($"http://{ordersLink.Host}:{ordersLink.Port}") };
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await viaLink.GetAsync("/api/products?pageSize=1", ct);
                var elapsed = Stopwatch.GetElapsedTime(started);

                response.EnsureSuccessStatusCode();
                Assert.True(elapsed >= TimeSpan.FromMilliseconds(5),
                    $"Request {attempt} through orders-link took {elapsed.TotalMilliseconds:F1} ms, less than one 5 ms round trip: the link is not shaped.");
            }
        }
        finally
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
    }
}
