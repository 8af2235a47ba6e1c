using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using PerfReference.BrowserTests.Infrastructure;

namespace PerfReference.BrowserTests.Walkthrough;

/// <summary>
/// Secrets stay secret: after the walkthrough has run everything it shows (checkouts, a lab run, a
/// staged outage full of warnings), neither the payment provider's admin key nor the database
/// password appears in any console log of any resource, nor in any structured log or span the
/// dashboard holds (read through its telemetry API). And the admin service refuses a call without
/// its key.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SecretsTests(DashboardFixture dashboard)
{
    [Fact]
    public async Task NoLogOrSpanOfTheRunHoldsTheAdminKeyOrTheDatabasePassword()
    {
        var ct = TestContext.Current.CancellationToken;
        var secrets = await dashboard.SecretsAsync(ct);

        var consoleLogs = await ConsoleLogsAsync();
        var telemetry = await TelemetryAsync(ct);

        // The logs were read: services say where they listen; the warm-up logs its figures and traces its work.
        Assert.Contains("Now listening on", consoleLogs);
        Assert.Contains("Warmed ", telemetry);
        Assert.Contains("Warm up caches", telemetry);
        foreach (var (what, value) in secrets)
        {
            Assert.True(value.Length >= 16, $"{what} is a real secret");
            Assert.False(consoleLogs.Contains(value, StringComparison.Ordinal), $"A console log holds {what}.");
            Assert.False(telemetry.Contains(value, StringComparison.Ordinal), $"A structured log or span in the dashboard holds {what}.");
        }
    }

    [Fact]
    public async Task TheAdminServiceRefusesACallWithoutItsKey()
    {
        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => dashboard.GetPaymentsBehaviourAsync([], TestContext.Current.CancellationToken));

        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, error.StatusCode);
    }

    /// <summary>Every console line of every instance of every resource, from its start.</summary>
    private async Task<string> ConsoleLogsAsync()
    {
        var logs = dashboard.Run.App.Services.GetRequiredService<ResourceLoggerService>();
        var text = new StringBuilder();
        foreach (var instance in dashboard.Run.AllInstanceIds())
        {
            await foreach (var batch in logs.GetAllAsync(instance))
            {
                foreach (var line in batch)
                {
                    text.AppendLine(line.Content);
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The dashboard's structured logs and spans of every resource, as its telemetry API returns them (OTLP JSON).</summary>
    private async Task<string> TelemetryAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = dashboard.DashboardUrl };
        http.DefaultRequestHeaders.Add("x-api-key", dashboard.DashboardApiKey);
        return await http.GetStringAsync("api/telemetry/logs?limit=100000", ct) + await http.GetStringAsync("api/telemetry/spans?limit=100000", ct);
    }
}
