using PerfReference.Hosting.Processes;
using System.Diagnostics;
using System.Net.Http.Json;
using Aspire.Hosting.Testing;
using PerfReference.IntegrationTests.Infrastructure;

namespace PerfReference.IntegrationTests.Measurement;

/// <summary>An AppHost of its own, started with the seed network profile: every round trip on every link pays 5 ms.</summary>
public sealed class SeedProfileTopology : IAsyncLifetime
{
    private readonly string _stateDirectory = ScratchDirectory.Create("network-profile");
    private AppHostRun? _run;

    public AppHostRun Run => _run ?? throw new InvalidOperationException("The topology has not started.");

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _run = await AppHostRun.StartAsync(_stateDirectory, ct, "Parameters:network-profile=seed");
        await _run.WaitUntilUpAsync(TimeSpan.FromMinutes(3), ct);
        await WaitUntilListeningAsync(_run.App.GetEndpoint("network-links", "orders-link").Port, ct);
    }

    /// <summary>The links' process starts with the topology and may still be starting when it is up: wait until orders-link accepts connections.</summary>
    private static async Task WaitUntilListeningAsync(int port, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, port, ct);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250, ct);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_run is not null)
        {
            await _run.DisposeAsync();
        }

        Directory.Delete(_stateDirectory, recursive: true);
    }
}

public sealed class NetworkProfileTests(SeedProfileTopology seed) : IClassFixture<SeedProfileTopology>
{
    [Fact]
    public async Task UnderTheSeedProfileEveryDatabaseRoundTripAndEveryClientRequestCostsAtLeastFiveMilliseconds()
    {
        var ct = TestContext.Current.CancellationToken;
        var run = seed.Run;
        Assert.Single(run.Instances("network-links")); // every standalone link in one process
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
        var ordersLink = run.App.GetEndpoint("network-links", "orders-link");
        using var viaLink = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ordersLink.Port}") };
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

    /// <summary>
    /// The CI perf gate: a few seconds of interleaved naive and optimized reads of a 200-line order,
    /// sent by the lab through orders-link, must keep the fix's advantage. A ratio, never an
    /// absolute time: the machine's speed cancels out, the N+1's 200 round trips of 5 ms do not.
    /// </summary>
    [Fact]
    public async Task PerfGateTheOptimizedOrderReadIsAtLeastFiveTimesFasterAtTheMedianUnderTheSeedProfile()
    {
        var ct = TestContext.Current.CancellationToken;
        using var lab = await seed.Run.LabClientAsync(ct);

        using var started = await lab.PostAsJsonAsync("/runs", new { scenario = "n-plus-one-db", rate = 8, duration = "6s", warmup = "1s" }, ct);
        started.EnsureSuccessStatusCode();
        var result = await LabRuns.TakeResultAsync(await LabRuns.WaitUntilIdleAsync(lab, ct), ct);

        Assert.Equal("seed", result.GetProperty("profile").GetString());
        var variants = result.GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("label").GetString()!);
        Assert.All(variants.Values, v => Assert.Equal(0, v.GetProperty("errors").GetInt64()));
        var naive = variants["naive"].GetProperty("p50Ms").GetDouble();
        var optimized = variants["optimized"].GetProperty("p50Ms").GetDouble();
        TestContext.Current.TestOutputHelper?.WriteLine($"p50 naive {naive:F1} ms, optimized {optimized:F1} ms: {naive / optimized:F1}x");
        Assert.True(naive >= 5 * optimized, $"p50 naive {naive:F1} ms is less than 5x optimized {optimized:F1} ms ({naive / optimized:F1}x).");

        // Beside the load the lab probed every link of the topology: the four standalone ones (one process) and each silo's two. No
        // probe is shorter than the profile's round trip; how much longer is what the run records, not what a test asserts.
        var links = result.GetProperty("links").EnumerateArray().ToArray();
        foreach (var link in links)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(link.ToString());
        }

        Assert.Equal(
            ["cache-link", "gateway-link", "gateway-link", "orders-link", "payments-link", "postgres-link", "silo-link", "silo-link"],
            links.Select(link => link.GetProperty("link").GetString()));
        Assert.All(links, link =>
        {
            Assert.True(link.GetProperty("probes").GetInt32() > 0, $"{link}: no probe came back");
            Assert.True(link.GetProperty("medianMs").GetDouble() >= 5, $"{link}: a median below the seed profile's 5 ms");
            Assert.Equal(System.Text.Json.JsonValueKind.Null, link.GetProperty("error").ValueKind);
        });
    }
}
