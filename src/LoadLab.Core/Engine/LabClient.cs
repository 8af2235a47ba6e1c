using System.Net;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Engine;

/// <summary>The lab's HTTP client, and the check that something answers where it is about to send its load.</summary>
public static class LabClient
{
    /// <summary>
    /// The lab's own client: no retries or resilience handlers (a retry would hide an error and
    /// double-count latency), no decompression (so the bytes counted are the bytes on the wire),
    /// no limit on connections (an open-loop run must not queue in the client).
    /// </summary>
    public static HttpClient Create(Uri baseUrl, TimeSpan? timeout = null) => new(new SocketsHttpHandler
    {
        AutomaticDecompression = DecompressionMethods.None,
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        BaseAddress = baseUrl,
        Timeout = timeout ?? TimeSpan.FromSeconds(60),
    };

    /// <summary>Any answer will do (even 503): what matters is that something listens at the base URL.</summary>
    public static async Task ProbeAsync(HttpClient http, Uri baseUrl, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var response = await http.GetAsync(HealthEndpoints.Alive.TrimStart('/'), timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new LabInputException($"Cannot reach {baseUrl} ({ex.Message}); start the system first (bash scripts/run.sh) or give --base-url.");
        }
    }
}
