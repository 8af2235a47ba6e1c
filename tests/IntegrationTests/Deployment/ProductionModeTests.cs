using System.Net;
using System.Text.Json;
using Aspire.Hosting.Testing;
using PerfReference.Hosting.Processes;

namespace PerfReference.IntegrationTests.Deployment;

/// <summary>
/// OrdersService as a deployment runs it (the AppHost's <c>service-mode=production</c>: every service told
/// <c>PerfReference__Mode=Production</c>, as the Kubernetes production overlay tells it): none of the lab's diagnostics
/// endpoints exists, and every request runs the optimized code whatever its <c>X-Perf-Variant</c> says.
/// </summary>
public sealed class ProductionModeTests(ProductionTopologyFixture production) : IClassFixture<ProductionTopologyFixture>
{
    /// <summary>Every endpoint under /api/diagnostics the lab maps (DiagnosticsApi, RuntimeApi).</summary>
    public static TheoryData<string, string> DiagnosticsEndpoints => new()
    {
        { "GET", "/api/diagnostics/roundtrip/1" },
        { "GET", "/api/diagnostics/bare" },
        { "POST", "/api/diagnostics/cold-start" },
        { "POST", "/api/diagnostics/lab-feed/remove" },
        { "POST", "/api/diagnostics/full-gc" },
        { "GET", "/api/diagnostics/payments" },
        { "GET", "/api/diagnostics/runtime" },
    };

    [Theory]
    [MemberData(nameof(DiagnosticsEndpoints))]
    public async Task EveryDiagnosticsEndpointIsNotFound(string method, string path)
    {
        using var response = await production.Orders.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ARequestAskingForTheNaiveCodeGetsTheOptimizedOneAndNoCounters()
    {
        var ct = TestContext.Current.CancellationToken;
        // More orders in the window than a page holds: the naive listing would answer them all at once.
        for (var i = 0; i < 4; i++)
        {
            using var placed = await production.Orders.SendAsync(Checkouts.Request(51 + i, [(1, 1)], Checkouts.NewKey()), ct);
            Assert.True(placed.IsSuccessStatusCode, await placed.Content.ReadAsStringAsync(ct));
        }

        var to = DateTimeOffset.UtcNow.AddMinutes(1);
        var window = $"from={Uri.EscapeDataString(to.AddDays(-31).ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";
        using var listing = await production.Orders.SendAsync(Naive($"/api/orders?{window}&pageSize=3"), ct);
        using var productsRequest = Naive("/api/products?pageSize=200");
        productsRequest.Headers.Add("Accept-Encoding", "br, gzip");
        using var products = await production.Raw.SendAsync(productsRequest, ct);

        // unbounded-results optimized: a bounded page and the cursor of the next.
        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        using var page = JsonDocument.Parse(await listing.Content.ReadAsStringAsync(ct));
        Assert.Equal(3, page.RootElement.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.String, page.RootElement.GetProperty("next").ValueKind);
        // compression optimized: Brotli for a client that accepts it.
        Assert.Equal(HttpStatusCode.OK, products.StatusCode);
        Assert.Equal(["br"], products.Content.Headers.ContentEncoding);
        // The lab's counters stay inside: metrics and traces, not response headers.
        Assert.All(new[] { listing, products }, response =>
            Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("X-Perf-", StringComparison.OrdinalIgnoreCase) || h.Key == "Server-Timing"));
    }

    [Fact]
    public async Task AVariantChoiceTheLabWouldRefuseIsIgnored()
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products?pageSize=1");
        request.Headers.Add("X-Perf-Variant", "fastest, no-such-entry=optimized");
        request.Headers.Add("X-Perf-Entry", "no-such-entry");

        using var response = await production.Orders.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task EachServiceSaysAtStartThatItRunsInProductionMode()
    {
        foreach (var service in new[] { "orders", "payments", "silo" })
        {
            Assert.Contains("Production mode (PerfReference:Mode=Production)", await production.ConsoleLogAsync(service, TestContext.Current.CancellationToken));
        }
    }

    private static HttpRequestMessage Naive(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Perf-Variant", "naive");
        return request;
    }
}

/// <summary>The whole topology in production mode, of these tests' own (the shared one is the lab).</summary>
public sealed class ProductionTopologyFixture : IAsyncLifetime
{
    private AppHostRun? _run;

    public HttpClient Orders { get; private set; } = null!;

    /// <summary>A client that hands back the body exactly as it came over the wire (no decompression).</summary>
    public HttpClient Raw { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _run = await AppHostRun.StartAsync(ScratchDirectory.Create("production"), ct, "Parameters:service-mode=production");
        await _run.WaitUntilUpAsync(TimeSpan.FromMinutes(3), ct);
        Orders = _run.App.CreateHttpClient("orders");
        Raw = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = _run.App.GetEndpoint("orders", "http"),
        };
    }

    public Task<string> ConsoleLogAsync(string resourceName, CancellationToken ct) => _run!.ConsoleLogAsync(resourceName, ct);

    public async ValueTask DisposeAsync()
    {
        Orders?.Dispose();
        Raw?.Dispose();
        if (_run is not null)
        {
            await _run.DisposeAsync();
            Directory.Delete(_run.StateDirectory, recursive: true);
        }
    }
}
