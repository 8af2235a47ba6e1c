using System.Globalization;
using System.Text.RegularExpressions;
using PerfReference.LoadLab.Results;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The figures of the hand-written texts (docs/log/*.md), filled in by <c>log</c> from the result files: a text never
/// types a measured figure, it names one — <c>{{p99 optimized}}</c> — and gets it with its unit, over the entry's current
/// runs ("120–157 ms" across three runs; add <c>newest</c> for the newest run alone, <c>median</c> for the median).
/// <para>
/// Syntax: <c>{{[subject:] figure [variant] [more words]}}</c>. The subject is a scenario id (by default the entry whose
/// text it is), <c>drill &lt;id&gt;[/&lt;folder&gt;]</c> or <c>scaling</c>; the variant <c>naive</c>, <c>optimized</c> or a journey step's
/// label (with the word <c>journey</c>). An unknown placeholder is an error that names it and the file.
/// </para>
/// <para>
/// Run figures (one variant): p50, p90, p95, p99, p999, max, mean, service-time, service-p99, outside-time, db-time,
/// db-p99, grain-time, payment-time, connect-time, db-round-trips, grain-calls, payment-calls, connection-opens, bytes, wire-time,
/// cpu, db-cpu, allocated, hit-ratio, lateness-p99, work-rate, bound, bound-share. Of the runs: ratio &lt;figure&gt;, rate,
/// requests, runs, date, link-median, link-p99, load-average. Capacity: capacity, broke-at, broke-because, capacity-bound (a variant and
/// a service level such as <c>500ms</c>), capacity-ratio. Sweeps: sweep-throughput, sweep-p99, sweep-contentions (a
/// variant and a number in flight). Soaks: heap-growth, live-heap-before, live-heap-after. Facts of the code: profile
/// &lt;name&gt;, bandwidth &lt;name&gt;, provider-latency, provider-lookup. Drills: checkouts, accepted, gave-up, retried,
/// answers &lt;code&gt;, recovery, wrong-balances, uncaptured-paid-orders, unsettled, date, commit. The capacity plan:
/// <c>{{scaling: figure …}}</c>, listed by <see cref="ScalingPlan"/>.
/// </para>
/// </summary>
public sealed partial class Placeholders(LogInputs inputs, Func<string, DrillResult?>? drill = null)
{
    private const string NotMeasured = "(not measured yet)";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private ScalingPlan? _scaling;

    [GeneratedRegex(@"\{\{(?<body>[^{}]*)\}\}")]
    private static partial Regex Pattern();

    /// <summary>The text with every placeholder replaced; <paramref name="scenario"/> is the subject of those that name none.</summary>
    public string Fill(string text, string? scenario, string source) =>
        Pattern().Replace(text, match => Resolve(match.Groups["body"].Value.Trim(), scenario, source));

    /// <summary>Every placeholder of a text, as written between the braces.</summary>
    public static IEnumerable<string> In(string text) => Pattern().Matches(text).Select(m => m.Groups["body"].Value.Trim());

    private string Resolve(string body, string? scenario, string source)
    {
        var colon = body.IndexOf(':', StringComparison.Ordinal);
        var subject = colon > 0 ? body[..colon].Trim() : null;
        var words = (colon > 0 ? body[(colon + 1)..] : body).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            throw Unknown(body, source, "it names no figure");
        }

        var figure = words[0];
        var rest = words[1..];
        if (subject?.StartsWith("drill ", StringComparison.Ordinal) == true)
        {
            return DrillFigure(subject["drill ".Length..].Trim(), figure, rest) ?? throw Unknown(body, source, "no such drill figure");
        }

        if (subject == ScalingPlan.Subject)
        {
            return (_scaling ??= new ScalingPlan(inputs)).Figure(figure, rest) ?? throw Unknown(body, source, "no such figure of the capacity plan (ScalingPlan lists them)");
        }

        if (Fact(figure, rest) is { } fact)
        {
            return fact;
        }

        var id = subject ?? scenario ?? throw Unknown(body, source, "it names no scenario, and this text belongs to none");
        if (id != PerfCatalog.SeedCheckoutScenario && PerfCatalog.Find(id) is null)
        {
            throw Unknown(body, source, $"'{id}' is no scenario");
        }

        return RunFigure(id, figure, rest) ?? CapacityFigure(id, figure, rest) ?? SweepFigure(id, figure, rest) ?? SoakFigure(id, figure, rest)
            ?? throw Unknown(body, source, "no such figure");
    }

    private static LabInputException Unknown(string body, string source, string why) => new(
        $"{source}: the placeholder {{{{{body}}}}} is unknown ({why}). Placeholders name a figure of the results, e.g. {{{{p99 optimized}}}}, " +
        "{{n-plus-one-db: ratio p99}}, {{capacity naive 500ms}}; src/LoadLab.Report/Texts/Placeholders.cs lists them.");

    private static string? Fact(string figure, string[] words) => figure switch
    {
        "profile" when words.Length == 1 && NetworkProfile.Find(words[0]) is { } profile => Figures.Setting(profile.RoundTrip.TotalMilliseconds),
        "bandwidth" when words.Length == 1 && NetworkProfile.Find(words[0]) is { BytesPerSecond: { } bytes } =>
            (bytes * 8 / 1_000_000.0).ToString("0.#", Invariant) + " Mbit/s",
        "provider-latency" when words.Length == 0 => Figures.Setting(ProviderLatency.CallMs),
        "provider-lookup" when words.Length == 0 => Figures.Setting(ProviderLatency.LookupMs),
        _ => null,
    };

    /// <summary>The runs a run figure is taken over: the journey's, or the pair the entry's headline quotes.</summary>
    private IReadOnlyList<RunResult> Runs(string id, string[] words)
    {
        var history = inputs.HistoryOf(id);
        var setup = words.Contains("journey")
            ? history.Quoted.FirstOrDefault(s => s.Setup.IsJourney)
            : ProvingMetric.PairSetup(inputs, id, ProvingMetrics.For(id).ClientProfile) ?? history.Pairs.FirstOrDefault();
        var runs = setup?.Current ?? [];
        return words.Contains("newest") ? [.. runs.Take(1)] : runs;
    }

    private static readonly IReadOnlyDictionary<string, (Func<RunResult, VariantResult, double?> Of, Func<IEnumerable<double>, string> Format)> VariantFigures =
        new Dictionary<string, (Func<RunResult, VariantResult, double?>, Func<IEnumerable<double>, string>)>(StringComparer.Ordinal)
        {
            ["p50"] = ((_, v) => v.P50Ms, Figures.MillisRange),
            ["p90"] = ((_, v) => v.P90Ms, Figures.MillisRange),
            ["p95"] = ((_, v) => v.P95Ms, Figures.MillisRange),
            ["p99"] = ((_, v) => v.P99Ms, Figures.MillisRange),
            ["p999"] = ((_, v) => v.P999Ms, Figures.MillisRange),
            ["max"] = ((_, v) => v.MaxMs, Figures.MillisRange),
            ["mean"] = ((_, v) => v.MeanMs, Figures.MillisRange),
            ["service-time"] = ((_, v) => v.MeanServerMs, Figures.MillisRange),
            ["service-p99"] = ((_, v) => v.ServerP99Ms, Figures.MillisRange),
            ["outside-time"] = ((_, v) => v.MeanServerMs is { } server ? Math.Max(0, v.MeanMs - server) : null, Figures.MillisRange),
            ["db-time"] = ((_, v) => v.MeanDbMs, Figures.MillisRange),
            ["db-p99"] = ((_, v) => v.DbP99Ms, Figures.MillisRange),
            ["grain-time"] = ((_, v) => v.MeanGrainMs, Figures.MillisRange),
            ["payment-time"] = ((_, v) => v.MeanPaymentMs, Figures.MillisRange),
            ["connect-time"] = ((_, v) => v.MeanDbConnectMs, Figures.MillisRange),
            ["lateness-p99"] = ((_, v) => v.SendLatenessP99Ms, Figures.MillisRange),
            ["db-round-trips"] = ((_, v) => v.MeanOf(PerfCounter.DbRoundtrips), Counts),
            ["grain-calls"] = ((_, v) => v.MeanOf(PerfCounter.GrainCalls), Counts),
            ["payment-calls"] = ((_, v) => v.MeanOf(PerfCounter.PaymentCalls), Counts),
            ["connection-opens"] = ((_, v) => v.MeanOf(PerfCounter.DbConnectionOpens), Counts),
            ["hit-ratio"] = ((_, v) => v.MeanOf(PerfCounter.DbRoundtrips) is { } misses ? 1 - misses : null, values => Figures.Range(values, Figures.Percent)),
            ["bytes"] = ((_, v) => v.MeanBytes, values => Figures.Range(values, Figures.Size)),
            ["wire-time"] = ((r, v) => NetworkProfile.Find(r.ClientProfile ?? r.Profile) is { BytesPerSecond: { } bandwidth } ? v.MeanBytes * 1000 / bandwidth : null,
                Figures.MillisRange),
            ["cpu"] = ((_, v) => v.Runtime?.CpuMsPerRequest, Figures.MillisRange),
            ["db-cpu"] = ((_, v) => v.Runtime?.DatabaseCpuMsPerRequest, Figures.MillisRange),
            ["allocated"] = ((_, v) => v.Runtime?.AllocatedBytesPerRequest, values => Figures.Range(values, Figures.Size)),
            ["work-rate"] = ((r, v) => r.Work is { } work ? Figures.WorkRate(work.Amount, v.MeanMs) : null,
                values => Figures.Range(values, r => Math.Round(r).ToString("N0", Invariant))),
            ["bound"] = ((r, v) => Bound.Of(r, v).Ms, Figures.MillisRange),
            ["bound-share"] = ((r, v) => Bound.Of(r, v).ShareOfP50, values => Figures.Range(values, Figures.Percent)),
        };

    private static string Counts(IEnumerable<double> values) => Figures.Range(values, c => c >= 1000 ? c.ToString("N0", Invariant) : c.ToString("0.#", Invariant));

    private string? RunFigure(string id, string figure, string[] words)
    {
        var runs = Runs(id, words);
        string Over(IEnumerable<double> values, Func<IEnumerable<double>, string> format)
        {
            var all = values.ToArray();
            return all.Length == 0 ? NotMeasured : words.Contains("median") ? format([Spread.Of(all).Median]) : format(all);
        }

        if (VariantFigures.TryGetValue(figure, out var of))
        {
            return Over(runs.Select(r => (Run: r, Variant: Variant(r, words))).Where(x => x.Variant is not null)
                .Select(x => of.Of(x.Run, x.Variant!)).OfType<double>(), of.Format);
        }

        return figure switch
        {
            "ratio" when words.Length > 0 && VariantFigures.TryGetValue(words[0], out var ratioOf) => Over(
                runs.Select(r => (ratioOf.Of(r, r.Variants[0]), ratioOf.Of(r, r.Variants[^1]))).Where(p => p is ({ } n, { } o) && o > 0).Select(p => p.Item1!.Value / p.Item2!.Value),
                values => Figures.Range(values, v => Figures.Ratio(v, 1).TrimEnd('×'), "×")),
            "rate" => runs.Count == 0 ? NotMeasured : Figures.RequestsPerSecond(runs[0].Rate),
            "requests" => runs.Count == 0 ? NotMeasured : runs.Min(r => r.Variants.Min(v => v.Count)).ToString("N0", Invariant),
            "runs" => runs.Count.ToString(Invariant),
            "date" => runs.Count == 0 ? NotMeasured : Figures.Date(runs[0].StartedUtc),
            "link-median" => Over(runs.SelectMany(r => r.Links ?? []).Where(l => l.MedianMs is not null).Select(l => l.MedianMs!.Value), Figures.MillisRange),
            "link-p99" => Over(runs.SelectMany(r => r.Links ?? []).Where(l => l.P99Ms is not null).Select(l => l.P99Ms!.Value), Figures.MillisRange),
            "load-average" => Over(runs.Select(r => r.Machine.LoadAverage).OfType<double>(), values => Figures.Range(values, l => l.ToString("0.0", Invariant))),
            _ => null,
        };
    }

    private static VariantResult? Variant(RunResult run, string[] words) =>
        words.FirstOrDefault(w => run.Variants.Any(v => v.Label == w)) is { } label && run.Variants.Count > 2 ? run.Variants.First(v => v.Label == label)
        : words.Contains("naive") ? run.Variants[0]
        : words.Contains("optimized") ? run.Variants[^1]
        : null;

    private string? CapacityFigure(string id, string figure, string[] words)
    {
        if (figure is not ("capacity" or "broke-at" or "broke-because" or "capacity-bound" or "capacity-ratio"))
        {
            return null;
        }

        var slo = words.Select(w => w.EndsWith("ms", StringComparison.Ordinal) && double.TryParse(w[..^2], NumberStyles.Float, Invariant, out var ms) ? ms : (double?)null)
            .OfType<double>().Cast<double?>().FirstOrDefault() ?? ProvingMetrics.SeedSloMs;
        var search = inputs.HistoryOf(id).Capacities.Where(c => Math.Abs(c.SloP99Ms - slo) < 0.5)
            .OrderBy(c => c.Mode == CapacityResult.Phased ? 0 : 1).ThenByDescending(c => c.StartedUtc).FirstOrDefault();
        if (search is null)
        {
            return NotMeasured;
        }

        var variant = words.Contains("naive") ? search.Variants[0] : search.Variants[^1];
        return figure switch
        {
            "capacity" => variant.SustainedRate is null ? "none (it broke at the first step)" : CapacityFigures.Sustained(variant) + " requests/s",
            "broke-at" => variant.BrokeAtRate is { } rate ? Figures.RequestsPerSecond(rate) : "no rate the climb reached",
            "broke-because" => variant.BrokeBecause ?? "the climb ended first",
            "capacity-bound" => Bound.Capacity(search, variant) is { } bound ? Figures.RequestsPerSecond(bound) : NotMeasured,
            _ => CapacityFigures.Ratio(search.Variants[0], search.Variants[^1]),
        };
    }

    private string? SweepFigure(string id, string figure, string[] words)
    {
        if (figure is not ("sweep-throughput" or "sweep-p99" or "sweep-contentions"))
        {
            return null;
        }

        var inFlight = words.Select(w => int.TryParse(w, NumberStyles.None, Invariant, out var n) ? n : (int?)null).OfType<int>().Cast<int?>().FirstOrDefault();
        var sweep = inputs.HistoryOf(id).Sweeps.MaxBy(s => s.StartedUtc);
        var variants = sweep?.Points.Select(p => p.Variant).Distinct(StringComparer.Ordinal).ToArray() ?? [];
        var point = sweep?.Points.FirstOrDefault(p => p.InFlight == inFlight && p.Variant == (words.Contains("naive") ? variants[0] : variants[^1]));
        return point is null ? NotMeasured : figure switch
        {
            "sweep-throughput" => Figures.RequestsPerSecond(point.Throughput),
            "sweep-p99" => Figures.Millis(point.P99Ms),
            _ => point.LockContentions is { } locks ? Math.Round(locks).ToString("N0", Invariant) : NotMeasured,
        };
    }

    private string? SoakFigure(string id, string figure, string[] words)
    {
        if (figure is not ("heap-growth" or "live-heap-before" or "live-heap-after"))
        {
            return null;
        }

        var run = inputs.HistoryOf(id).Quoted.Select(s => s.Newest!).Where(r => r.Phases is { Count: >= 2 }).MaxBy(r => r.StartedUtc);
        var phase = run is null ? null : words.Contains("naive") ? run.Phases![0] : run.Phases![^1];
        var value = figure switch
        {
            "heap-growth" => phase?.LiveHeapGrowthMBPerMinute,
            "live-heap-before" => phase?.LiveHeapMBBefore,
            _ => phase?.LiveHeapMBAfter,
        };
        return value is null ? NotMeasured : value.Value.ToString("0.0", Invariant) + (figure == "heap-growth" ? " MB/min" : " MB");
    }

    private string? DrillFigure(string path, string figure, string[] words)
    {
        if (drill?.Invoke(path) is not { } result)
        {
            return NotMeasured;
        }

        return figure switch
        {
            "checkouts" => result.Checkouts.ToString("N0", Invariant),
            "accepted" => result.Accepted.ToString("N0", Invariant),
            "gave-up" => result.GaveUp.ToString("N0", Invariant),
            "retried" => result.Retried.ToString("N0", Invariant),
            "answers" when words.Length == 1 => result.Answers.GetValueOrDefault(words[0]).ToString("N0", Invariant),
            "recovery" => result.RecoverySeconds is { } seconds ? seconds.ToString("0", Invariant) + " s" : "no recovery within the drill",
            "wrong-balances" => result.Books.WrongBalances.ToString("N0", Invariant),
            "uncaptured-paid-orders" => result.Books.UncapturedPaidOrders.ToString("N0", Invariant),
            "unsettled" => result.Books.Unsettled.ToString("N0", Invariant),
            "date" => result.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant) + " UTC",
            "commit" => result.Commit,
            _ => null,
        };
    }
}
