using PerfReference.Performance;

namespace PerfReference.TestSupport;

/// <summary>Asks for a variant of a catalog entry and reads the per-request counters the orders API answers with.</summary>
public static class PerfHeaders
{
    public const string Naive = "naive";
    public const string Optimized = "optimized";

    /// <summary>
    /// Runs <paramref name="entry"/> in <paramref name="variant"/> and every other entry naive — one
    /// change at a time, as the lab measures it — labelled as a measurement of that entry.
    /// </summary>
    public static HttpRequestMessage WithVariant(this HttpRequestMessage request, string variant, string entry)
    {
        request.Headers.Add(PerfSelection.HeaderName, $"{Naive}, {entry}={variant}");
        request.Headers.Add(PerfTags.EntryHeader, entry);
        return request;
    }

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : throw new Xunit.Sdk.XunitException($"No {name} header.");

    public static long DbRoundtrips(HttpResponseMessage response) => long.Parse(Header(response, PerfCounter.DbRoundtrips.Header));

    public static long GrainCalls(HttpResponseMessage response) => long.Parse(Header(response, PerfCounter.GrainCalls.Header));

    /// <summary>Synchronous database commands and blocking gRPC calls the request made (each held its thread while it waited).</summary>
    public static long BlockingCalls(HttpResponseMessage response) => long.Parse(Header(response, PerfCounter.BlockingCalls.Header));

    /// <summary>The most grain calls the request had waiting for an answer at once.</summary>
    public static long GrainConcurrency(HttpResponseMessage response) => long.Parse(Header(response, PerfCounter.GrainConcurrency.Header));

    /// <summary>The grain calls on the request's critical path (those it awaited one after another; of calls made together, one).</summary>
    public static long GrainPathCalls(HttpResponseMessage response) => long.Parse(Header(response, "X-Perf-Grain-Path-Calls"));

    /// <summary>
    /// Where the request's grain time went (Server-Timing, ms): link, silo wait and run summed over the critical path's
    /// calls, and the longest wait of any one call.
    /// </summary>
    public static (double Link, double SiloWait, double Run, double LongestSiloWait) GrainSplit(HttpResponseMessage response)
    {
        var durations = ServerTiming.Durations(Header(response, ServerTiming.HeaderName));
        return (durations[ServerTiming.GrainLink], durations[ServerTiming.GrainWait], durations[ServerTiming.GrainRun], durations[ServerTiming.GrainLongestWait]);
    }
}
