using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using PerfReference.IntegrationTests.Infrastructure;

namespace PerfReference.IntegrationTests.Measurement;

/// <summary>
/// The load lab as the dashboard's commands use it: the AppHost's <c>loadlab</c> resource runs a
/// scenario against the real OrdersService, one run at a time, and writes the result file.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class LoadLabTests(TopologyFixture topology)
{
    [Fact]
    public async Task ARunStartedThroughTheLabResourceWritesBothVariantsToAResultFile()
    {
        var ct = TestContext.Current.CancellationToken;
        await topology.Run.App.ResourceNotifications.WaitForResourceHealthyAsync("loadlab", ct);
        using var lab = topology.Run.App.CreateHttpClient("loadlab", "http");
        var run = new { scenario = "n-plus-one-db", rate = 10, duration = "3s", warmup = "1s" };

        using var started = await lab.PostAsJsonAsync("/runs", run, ct);
        using var busy = await lab.PostAsJsonAsync("/runs", run, ct);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        var status = await WaitUntilIdleAsync(lab, ct);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("lastError").ValueKind);
        var path = status.GetProperty("lastResult").GetString()!;
        try
        {
            using var result = JsonDocument.Parse(await File.ReadAllTextAsync(path, ct));
            var variants = result.RootElement.GetProperty("variants").EnumerateArray().ToArray();
            Assert.Equal(["naive", "optimized"], variants.Select(v => v.GetProperty("label").GetString()));
            Assert.Equal("naive, n-plus-one-db=optimized", variants[1].GetProperty("header").GetString());
            foreach (var variant in variants)
            {
                // 10 rps for 1 s of warm-up and 3 s measured: 30 recorded, alternating between the two variants.
                Assert.Equal(15, variant.GetProperty("count").GetInt64());
                Assert.Equal(0, variant.GetProperty("errors").GetInt64());
                Assert.True(variant.GetProperty("meanDbRoundtrips").GetDouble() >= 3, "reading an order takes several round trips");
                Assert.True(variant.GetProperty("p99Ms").GetDouble() > 0);
                Assert.NotEmpty(variant.GetProperty("histogram").GetString()!);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AnUnknownScenarioIsRefusedWithProblemDetails()
    {
        var ct = TestContext.Current.CancellationToken;
        await topology.Run.App.ResourceNotifications.WaitForResourceHealthyAsync("loadlab", ct);
        using var lab = topology.Run.App.CreateHttpClient("loadlab", "http");

        using var response = await lab.PostAsJsonAsync("/runs", new { scenario = "missing-index" }, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no lab scenario yet", await response.Content.ReadAsStringAsync(ct));
    }

    private static async Task<JsonElement> WaitUntilIdleAsync(HttpClient lab, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var status = await lab.GetFromJsonAsync<JsonElement>("/runs/current", ct);
            if (status.GetProperty("state").GetString() == "idle")
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The run did not finish: {status}");
            await Task.Delay(500, ct);
        }
    }
}
