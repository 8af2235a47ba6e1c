using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PerfReference.Topology;
using Microsoft.Extensions.Options;

namespace PerfReference.Performance;

/// <summary>
/// Reads a request's variant choice (<c>X-Perf-Variant</c>) and measured entry (<c>X-Perf-Entry</c>),
/// refuses choices it cannot honour with 400 problem details, counts what the request does, and
/// reports it three ways: response headers (with <c>Server-Timing</c>), tags on the request's
/// activity, and metrics split by variant.
/// </summary>
/// <remarks>
/// Outside the lab (<see cref="PerfOptions.IsLab"/> false) both headers are ignored rather than refused: every
/// request runs the optimized code, is counted for the metrics and traces that monitoring reads, and hears no
/// counters back. Ignored, because a production API answers what it was asked whatever extra headers a client or a
/// proxy adds (a 400 would turn a copied lab command or a forgotten header into an outage of that client), and
/// because a refusal would advertise a switch that is not there.
/// </remarks>
public sealed class PerfRequestMiddleware(RequestDelegate next, IOptions<PerfOptions> options, PerfMetrics metrics, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext http)
    {
        // Health probes run every few seconds; counted, they would drown the requests users measure.
        if (HealthEndpoints.IsProbe(http.Request.Path.Value ?? ""))
        {
            await next(http);
            return;
        }

        if (!TryReadRequest(http, out var request, out var problem))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = { Status = StatusCodes.Status400BadRequest, Title = "Invalid performance variant", Detail = problem },
            });
            return;
        }

        // The request's switch, for the code that chooses a variant; the async flow, for the hooks that count.
        http.RequestServices.GetRequiredService<RequestPerfSwitch>().Request = request.Enter();
        // The request's span as traceparent names it (for the traceresponse header), and the same span only if it is
        // recorded, for the tags: a trace the sampler dropped (telemetry=sampled) still has an activity — ASP.NET Core
        // makes one to carry the trace context on — and a dozen tags set on it would cost every request for nothing.
        var current = Activity.Current;
        var activity = current is { IsAllDataRequested: true } ? current : null;
        activity?.SetTag(PerfTags.Variant, request.VariantLabel);
        activity?.SetTag(PerfTags.Selection, request.Selection.ToString());
        activity?.SetTag(PerfTags.Entry, request.Entry ?? PerfTags.NoEntry);

        var started = Stopwatch.GetTimestamp();
        var body = http.Response.Body;
        // gRPC frames its messages on the response pipe itself; a stream wrapped around it breaks them.
        var isGrpc = http.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;
        await using var counting = new CountingStream(body);
        if (!isGrpc)
        {
            http.Response.Body = counting;
        }

        if (options.Value.IsLab)
        {
            http.Response.OnStarting(() =>
            {
                WriteHeaders(http.Response, request, current, Stopwatch.GetElapsedTime(started));
                return Task.CompletedTask;
            });
        }

        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = body;
            var elapsed = Stopwatch.GetElapsedTime(started);
            foreach (var counter in PerfCounter.All)
            {
                activity?.SetTag(counter.SpanTag, request.Counters[counter]);
            }

            activity?.SetTag(PerfTags.DbPlan, request.Counters.DbPlan);
            activity?.SetTag(PerfTags.ResponseBytes, counting.BytesWritten);
            var grainPath = request.Counters.GrainPath;
            if (grainPath.Calls > 0)
            {
                activity?.SetTag(PerfTags.GrainPathCalls, grainPath.Calls);
                activity?.SetTag(PerfTags.GrainPathLinkMs, grainPath.Link.TotalMilliseconds);
                activity?.SetTag(PerfTags.GrainPathSiloWaitMs, grainPath.SiloWait.TotalMilliseconds);
                activity?.SetTag(PerfTags.GrainPathRunMs, grainPath.Run.TotalMilliseconds);
                activity?.SetTag(PerfTags.GrainLongestSiloWaitMs, grainPath.LongestSiloWait.TotalMilliseconds);
            }

            var operation = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? PerfTags.OtherOperation;
            metrics.Record(request, operation, elapsed.TotalMilliseconds, counting.BytesWritten);
        }
    }

    private bool TryReadRequest(HttpContext http, out PerfRequest request, out string problem)
    {
        request = null!;
        problem = "";
        if (!options.Value.IsLab)
        {
            request = new PerfRequest(PerfSelection.AllOptimized, null);
            return true;
        }

        try
        {
            var header = http.Request.Headers[PerfSelection.HeaderName].ToString();
            var selection = string.IsNullOrWhiteSpace(header)
                ? options.Value.DefaultSelection
                : PerfSelection.Parse(header, options.Value.DefaultVariant);

            var entry = http.Request.Headers[PerfTags.EntryHeader].ToString();
            if (entry.Length > 0 && !PerfCatalog.IsMeasurementLabel(entry))
            {
                PerfCatalog.RequireBuilt(entry); // a label the lab can measure: a built entry, the seed journey or the ceiling
            }

            request = new PerfRequest(selection, entry.Length > 0 ? entry : null);
            return true;
        }
        catch (PerfSelectionException error)
        {
            problem = error.Message;
            return false;
        }
    }

    private static void WriteHeaders(HttpResponse response, PerfRequest request, Activity? activity, TimeSpan elapsed)
    {
        var counters = request.Counters;
        response.Headers[PerfSelection.HeaderName] = request.Selection.ToString();
        foreach (var counter in PerfCounter.All)
        {
            response.Headers[counter.Header] = counters[counter].ToString(CultureInfo.InvariantCulture);
        }

        if (counters.DbPlan is { } plan)
        {
            response.Headers[PerfTags.DbPlanHeader] = plan;
        }
        response.Headers[PerfTags.GrainPathCallsHeader] = counters.GrainPath.Calls.ToString(CultureInfo.InvariantCulture);

        // Browsers' network panels show Server-Timing next to the request.
        response.Headers.Append(ServerTiming.HeaderName, ServerTiming.Format(counters, elapsed));

        // The request's own span (not whatever span is current while the response starts), as traceparent would name it.
        if (activity is { IdFormat: ActivityIdFormat.W3C })
        {
            response.Headers[PerfTags.TraceResponseHeader] = $"00-{activity.TraceId.ToHexString()}-{activity.SpanId.ToHexString()}-{(activity.Recorded ? "01" : "00")}";
        }
    }
}
