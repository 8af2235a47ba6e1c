using System.Net;
using System.Net.Http.Json;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Traces;

/// <summary>The dashboard's telemetry API as the lab reads it: one trace at a time, by id, as kept spans.</summary>
public sealed class DashboardTraces(DashboardAccess dashboard) : IDisposable
{
    private readonly HttpClient _http = Client(dashboard);

    public DashboardAccess Dashboard { get; } = dashboard;

    /// <summary>The trace's spans as the dashboard holds them now; null when it holds no such trace (never received, or already dropped for newer ones).</summary>
    public async Task<IReadOnlyList<TraceSpan>?> TraceAsync(string traceId, CancellationToken ct)
    {
        using var response = await _http.GetAsync($"api/telemetry/traces/{Uri.EscapeDataString(traceId)}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            // The key is the AppHost's; the answer's status says enough (401: the key is not this dashboard's).
            throw new HttpRequestException($"the dashboard's telemetry API answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        var answer = await response.Content.ReadFromJsonAsync(OtlpJsonContext.Default.TelemetryApiAnswer, ct);
        return answer is null ? null : KeptSpans.From(answer);
    }

    private static HttpClient Client(DashboardAccess dashboard)
    {
        var http = new HttpClient { BaseAddress = dashboard.Url, Timeout = TimeSpan.FromSeconds(15) };
        http.DefaultRequestHeaders.Add(DashboardAccess.ApiKeyHeader, dashboard.ApiKey);
        return http;
    }

    public void Dispose() => _http.Dispose();
}
