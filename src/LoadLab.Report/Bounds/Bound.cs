using System.Globalization;
using PerfReference.LoadLab.Results;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Report;

/// <summary>One thing a request did and what it costs at best: "PostgreSQL round trips, 203 × 6.37 ms".</summary>
/// <param name="Beside">Made beside the database's round trips (the calls overlapped them): the longer of the two counts, not their sum.</param>
public sealed record BoundPart(string What, double Count, double EachMs, bool Beside = false)
{
    public double Ms => Count * EachMs;

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{What} {(Count == Math.Round(Count) ? Count.ToString("0", CultureInfo.InvariantCulture) : Count.ToString("0.0", CultureInfo.InvariantCulture))} × {Figures.Millis(EachMs)}{(Beside ? " (they overlapped: one round trip, beside any database round trips)" : "")}");
}

/// <summary>
/// The best a variant could do, from what it did (the physical bound): the round trips, calls and bytes it was counted
/// making, each at the price the run's probes measured on its link, and the CPU the service spent per request where the
/// variant ran alone so that its CPU is its own. PostgreSQL's CPU is not counted: a query can run on several cores at
/// once (a parallel scan), so its CPU time is no floor on the time it took. A request cannot be faster than its bound; the share
/// bound ÷ measured says how much of the measured time is that floor, and the rest is everything else — queueing, the
/// tail of the links, the lab, work not counted.
/// </summary>
public sealed record VariantBound(string Variant, IReadOnlyList<BoundPart> Parts, double P50Ms, double P99Ms, double MeanMs, bool CpuCounted)
{
    /// <summary>The bound: every part in turn, but parts made beside the database count as the longer of the two.</summary>
    public double Ms
    {
        get
        {
            var beside = Parts.Where(p => p.Beside).Sum(p => p.Ms);
            var database = Parts.Where(p => p.What.StartsWith(Bound.Database, StringComparison.Ordinal)).Sum(p => p.Ms);
            var rest = Parts.Where(p => !p.Beside).Sum(p => p.Ms);
            return rest - database + Math.Max(database, beside);
        }
    }

    /// <summary>How much of the median request the bound explains (1 = at its floor).</summary>
    public double ShareOfP50 => P50Ms > 0 ? Ms / P50Ms : 0;

    public double ShareOfP99 => P99Ms > 0 ? Ms / P99Ms : 0;
}

/// <summary>Computes <see cref="VariantBound"/>s from a run's counters, its link probes and its runtime figures.</summary>
public static class Bound
{
    public const string Client = "the client's link";
    public const string Bytes = "the response's bytes at the client link's bandwidth";
    public const string Database = "PostgreSQL round trips";
    public const string ConnectionOpens = "connection opens (TCP, start-up and SCRAM: 3 round trips each)";
    public const string Grains = "grain calls";
    public const string Payments = "payment calls (the link, and the provider's configured latency)";
    public const string ServiceCpu = "the service's CPU per request";

    /// <summary>Round trips a new PostgreSQL connection costs before its first query: TCP's handshake, the start-up message, SCRAM's exchange.</summary>
    public const int ConnectionOpenRoundTrips = 3;

    /// <summary>How much the waits may add up to beyond the service's time before they count as overlapped (timings round).</summary>
    private const double OverlapTolerance = 1.05;

    /// <summary>The links as the AppHost names them, by what crosses them.</summary>
    public const string OrdersLink = "orders-link";
    public const string PostgresLink = "postgres-link";
    public const string GatewayLink = "gateway-link";
    public const string PaymentsLink = "payments-link";

    /// <summary>Entries whose payment calls are look-ups (GetPayment), which the provider answers faster than calls that move money.</summary>
    public static IReadOnlySet<string> LookupEntries { get; } = new HashSet<string>(StringComparer.Ordinal) { CatalogIds.ThreadPoolStarvation };

    public static IReadOnlyList<VariantBound> Of(RunResult run) => [.. run.Variants.Select(v => Of(run, v))];

    public static VariantBound Of(RunResult run, VariantResult v)
    {
        var parts = new List<BoundPart>();
        var network = NetworkProfile.Find(run.Profile) ?? NetworkProfile.Loopback;
        var client = NetworkProfile.Find(run.ClientProfile ?? run.Profile) ?? network;
        if (client != NetworkProfile.Loopback)
        {
            parts.Add(new BoundPart(Client, 1, RoundTrip(run, OrdersLink, client)));
            if (client.BytesPerSecond is { } bandwidth && v.MeanBytes > 0)
            {
                parts.Add(new BoundPart(Bytes, 1, v.MeanBytes * 1000.0 / bandwidth));
            }
        }

        var database = RoundTrip(run, PostgresLink, network);
        Add(parts, Database, v.MeanOf(PerfCounter.DbRoundtrips), database);
        Add(parts, ConnectionOpens, v.MeanOf(PerfCounter.DbConnectionOpens) * ConnectionOpenRoundTrips, database);

        // Calls whose waits added up to more than the service's time ran beside each other: fanned out, the grain calls
        // cost one round trip, and beside the database the longer of the two.
        var overlapped = v.MeanServerMs is { } server && (v.MeanDbMs ?? 0) + (v.MeanGrainMs ?? 0) + (v.MeanPaymentMs ?? 0) > server * OverlapTolerance;
        if (v.MeanOf(PerfCounter.GrainCalls) is { } calls && calls > 0 && RoundTrip(run, GatewayLink, network) is > 0 and var grain)
        {
            parts.Add(new BoundPart(Grains, overlapped ? 1 : calls, grain, Beside: overlapped));
        }

        var provider = LookupEntries.Contains(run.Scenario) ? ProviderLatency.LookupMs : ProviderLatency.CallMs;
        Add(parts, Payments, v.MeanOf(PerfCounter.PaymentCalls), RoundTrip(run, PaymentsLink, network) + provider);

        // CPU is the variant's own only where it ran alone (phased): interleaved, the process's CPU is both variants'.
        if (v.Runtime is { } runtime)
        {
            Add(parts, ServiceCpu, 1, runtime.CpuMsPerRequest);
        }

        return new VariantBound(v.Label, parts, v.P50Ms, v.P99Ms, v.MeanMs, v.Runtime is not null);
    }

    /// <summary>
    /// What a round trip on the link cost in the run: the median of its probes (the mean over the link's processes, say
    /// both silos' gateways), else the profile's own round trip where the run probed nothing (a floor all the same).
    /// </summary>
    public static double RoundTrip(RunResult run, string link, NetworkProfile profile)
    {
        var medians = (run.Links ?? []).Where(l => l.Link == link && l.MedianMs is not null).Select(l => l.MedianMs!.Value).ToArray();
        return medians.Length > 0 ? medians.Average() : profile.RoundTrip.TotalMilliseconds;
    }

    /// <summary>
    /// The most a capacity search's variant could sustain on this machine's cores, from what its services' CPU carried
    /// at its highest held step: the rate × cores ÷ the cores they used. Null without the CPU at capacity.
    /// </summary>
    public static double? Capacity(CapacityResult search, VariantCapacity variant) =>
        variant is { SustainedRate: { } rate, AtCapacity: { Count: > 0 } costs } && costs.Sum(c => c.CpuCores) is var cores and > 0
            ? rate * search.Machine.Cores / cores
            : null;

    /// <summary>Fewer than this per request is left out of the bound's list (a connection opened by one request in three hundred).</summary>
    private const double NegligibleCount = 0.05;

    private static void Add(List<BoundPart> parts, string what, double? count, double? eachMs)
    {
        if (count >= NegligibleCount && eachMs is > 0)
        {
            parts.Add(new BoundPart(what, count.Value, eachMs.Value));
        }
    }
}
