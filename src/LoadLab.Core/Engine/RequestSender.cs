using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;

namespace PerfReference.LoadLab.Engine;

/// <summary>
/// Sends one request of a scenario as one variant and records what it did: the latency from a given
/// moment (the intended send time in an open loop, the actual one in a closed loop), the body's bytes
/// as the network carried them, the counters and Server-Timing durations the service reported, or
/// the kind of error. Both load engines send through it, so a request means the same in both.
/// </summary>
public sealed class RequestSender(HttpClient http, LabMetrics? metrics = null)
{
    /// <param name="scenario">The entry the request says it measures (<c>X-Perf-Entry</c>) and the lab's metrics count it under; null for a companion request, which measures none.</param>
    /// <param name="from">The Stopwatch timestamp the latency counts from.</param>
    /// <param name="recorder">Where the outcome goes; null for a warm-up request (sent, not recorded).</param>
    /// <param name="completed">Called with the timestamp at which the response's body had arrived.</param>
    public async Task SendAsync(
        string? scenario, RequestFactory createRequest, long i, Variant variant, long from, VariantRecorder? recorder, Action<long>? completed, CancellationToken ct)
    {
        string outcome;
        TimeSpan? latency = null;
        try
        {
            using var request = createRequest(i);
            request.Headers.TryAddWithoutValidation(PerfSelection.HeaderName, variant.Header);
            if (scenario is not null)
            {
                request.Headers.TryAddWithoutValidation(PerfTags.EntryHeader, scenario);
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var bytes = await CountBodyBytesAsync(response, ct);
            var end = Stopwatch.GetTimestamp();
            completed?.Invoke(end);
            if (response.IsSuccessStatusCode)
            {
                latency = Stopwatch.GetElapsedTime(from, end);
                recorder?.RecordSuccess((long)(latency.Value.Ticks / TimeSpan.TicksPerMicrosecond), CountersOf(response), bytes);
                outcome = LabMetrics.Success;
            }
            else
            {
                recorder?.RecordError(ErrorKinds.Of(response));
                outcome = LabMetrics.Error;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            recorder?.RecordError("timeout");
            outcome = LabMetrics.Error;
        }
        catch (OperationCanceledException)
        {
            return; // the run was stopped: not the system's fault, not recorded
        }
        catch (HttpRequestException ex)
        {
            recorder?.RecordError($"{nameof(HttpRequestException)} ({ex.HttpRequestError})");
            outcome = LabMetrics.Error;
        }
        catch (Exception ex)
        {
            recorder?.RecordError(ex.GetType().Name);
            outcome = LabMetrics.Error;
        }

        if (recorder is not null && scenario is not null)
        {
            metrics?.Record(scenario, variant.Label, outcome, latency);
        }
    }

    /// <summary>
    /// A request that was due but not sent (more in flight than the plan allows): an error of the variant it was for, and
    /// in the metrics, when it was a measured one; a dropped warm-up request is recorded nowhere, as a sent one is not.
    /// </summary>
    public void RecordDropped(string? scenario, Variant variant, VariantRecorder? recorder)
    {
        if (recorder is null)
        {
            return;
        }

        recorder.RecordError(DroppedError);
        if (scenario is not null)
        {
            metrics?.Record(scenario, variant.Label, LabMetrics.Dropped, null);
        }
    }

    /// <summary>The kind of error a dropped request is recorded as.</summary>
    public const string DroppedError = "dropped (max in flight)";

    /// <summary>
    /// The body as it came over the wire: the client does not decompress, so this is what the network carried. Read into a
    /// pooled buffer: at thousands of requests a second, a buffer per request was the lab's own garbage.
    /// </summary>
    private static async Task<long> CountBodyBytesAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The counters and timings the response reported, read from its headers as they came (no validation, no copies).</summary>
    private static ResponseCounters CountersOf(HttpResponseMessage response)
    {
        var headers = response.Headers.NonValidated;
        var timing = headers.TryGetValues(ServerTiming.HeaderName, out var values)
            ? ServerTiming.Durations(values.ToString())
            : null;
        double? Duration(string metric) => timing is not null && timing.TryGetValue(metric, out var ms) ? ms : null;
        var counts = new long?[PerfCounter.Recorded.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Header(headers, PerfCounter.Recorded[i].Header);
        }

        return new(
            counts,
            Duration(ServerTiming.App), Duration(ServerTiming.Database), Duration(ServerTiming.Grains), Duration(ServerTiming.Payments),
            Duration(ServerTiming.DatabaseConnect),
            headers.TryGetValues(PerfTags.DbPlanHeader, out var plans) ? FirstOf(plans) : null)
        {
            GrainPath = GrainPathReading.Of(Header(headers, PerfTags.GrainPathCallsHeader), Duration),
            TraceId = TraceResponse.RecordedTraceId(headers.TryGetValues(PerfTags.TraceResponseHeader, out var trace) ? FirstOf(trace) : null),
        };
    }

    private static long? Header(HttpHeadersNonValidated headers, string name) =>
        headers.TryGetValues(name, out var values) && long.TryParse(FirstOf(values), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>A header's first value (the only one, as the service sends them, without a copy).</summary>
    private static string? FirstOf(HeaderStringValues values) => values.Count == 1 ? values.ToString() : values.FirstOrDefault();
}

/// <summary>How an answer that was not a success is counted: by its status, and a 503 with Retry-After apart — load the service shed on purpose.</summary>
public static class ErrorKinds
{
    /// <summary>A 503 with Retry-After: the service refused at once what it could not serve (admission control, or not ready yet).</summary>
    public const string Shed = "HTTP 503 shed (Retry-After)";

    public static string Of(HttpResponseMessage response) =>
        response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null
            ? Shed
            : string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}");
}
