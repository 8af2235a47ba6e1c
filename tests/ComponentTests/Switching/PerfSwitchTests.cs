using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PerfReference.Performance;

namespace PerfReference.ComponentTests.Switching;

/// <summary>How code learns its variant: from the request in a service, from the call in a grain, from configuration elsewhere.</summary>
public sealed class PerfSwitchTests : IAsyncDisposable
{
    private readonly WebApplication _app;

    public PerfSwitchTests()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        // A configured default other than naive, so that falling back to it can be told from a hard-coded naive.
        builder.Configuration[$"{PerfOptions.SectionName}:DefaultVariant"] = "Optimized";
        builder.AddPerfSwitch();
        _app = builder.Build();
        _app.UsePerfSwitch();
        _app.MapGet("/variant", (IPerfSwitch perf) => perf.IsOptimized(PerfCatalog.NPlusOneDb) ? "optimized" : "naive");
    }

    [Theory]
    [InlineData("naive", "naive")]
    [InlineData("optimized, n-plus-one-db=naive", "naive")]
    [InlineData("naive, n-plus-one-db=optimized", "optimized")]
    [InlineData(null, "optimized")] // no header: the configured default
    public async Task AnEndpointSeesTheVariantItsRequestAskedFor(string? header, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        await _app.StartAsync(ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/variant");
        if (header is not null)
        {
            request.Headers.Add(PerfSelection.HeaderName, header);
        }

        using var response = await _app.GetTestClient().SendAsync(request, ct);

        Assert.Equal(expected, await response.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task WorkOutsideARequestRunsTheConfiguredDefault()
    {
        await using var scope = _app.Services.CreateAsyncScope(); // as the payment worker makes one

        Assert.Equal(PerfSelection.AllOptimized.ToString(), scope.ServiceProvider.GetRequiredService<IPerfSwitch>().Selection.ToString());
    }

    [Theory]
    [InlineData(PerfSelection.HeaderName, "naive, no-such-entry=optimized", "is not a catalog entry")]
    [InlineData(PerfSelection.HeaderName, "sometimes", "is not a variant")]
    [InlineData(PerfTags.EntryHeader, "no-such-entry", "is not a catalog entry")]
    public async Task ASelectionThatCannotBeHonouredIsRefusedWithProblemDetails(string header, string value, string reason)
    {
        var ct = TestContext.Current.CancellationToken;
        await _app.StartAsync(ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/variant");
        request.Headers.Add(header, value);

        using var response = await _app.GetTestClient().SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, (await response.Content.ReadFromJsonAsync<ProblemDetails>(ct))!.Detail);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
