using System.Globalization;
using PerfReference.LoadLab.Results;
using PerfReference.Performance;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// How an entry proves itself in figures, and so how its headline is quoted: from which measurements (runs, a capacity
/// search, a sweep, a soak) and which figure of them. Latency entries are quoted by their P99 over the newest runs; an
/// entry that proves itself under load — capacity, throughput at N in flight, heap slope — by that, never by a low-rate
/// latency ratio. <see cref="ProvingMetrics"/> names each entry's.
/// </summary>
public abstract class ProvingMetric
{
    /// <summary>What the metric measures, for the catalog and the page: "P99 latency".</summary>
    public abstract string Name { get; }

    /// <summary>The client's link the metric is measured over when it has a profile of its own (a phone's); null for the system's profile alone.</summary>
    public virtual string? ClientProfile => null;

    /// <summary>The entry's headline from the current measurements; null where none proves it yet.</summary>
    public abstract Quote? Quote(LogInputs inputs, string scenario);

    /// <summary>The P99 over the newest runs of naive against optimized (on a client link of its own where one is named).</summary>
    public static ProvingMetric P99(string? clientProfile = null) => new PerVariantFigure("P99", "P99 latency", clientProfile, v => v.P99Ms, Figures.MillisRange);

    /// <summary>The P99 of the first requests after a restart, with the optimized variant's hit ratio (every miss is one database round trip).</summary>
    public static ProvingMetric P99WithHitRatio() => new HitRatioFigure();

    /// <summary>The highest rate each variant sustains alone within the service level (phased capacity search).</summary>
    public static ProvingMetric Capacity(double sloMs) => new CapacityFigure(sloMs);

    /// <summary>Each variant's throughput at a number of requests in flight (closed-loop sweep).</summary>
    public static ProvingMetric ThroughputInFlight(int inFlight) => new SweepFigure(inFlight);

    /// <summary>How fast the live heap grows, MB per minute, each variant on its own (a soak with a full collection before and after each phase).</summary>
    public static ProvingMetric HeapSlope() => new HeapSlopeFigure();

    /// <summary>Units of work per second at the mean (rows per second of an import).</summary>
    public static ProvingMetric WorkRate() => new WorkRateFigure();

    /// <summary>
    /// The service's time at the mean against the sum of what it waited on: a dependency's wait taken off the critical
    /// path shows as a service time shorter than the waits added up.
    /// </summary>
    public static ProvingMetric ServiceTimeAgainstDependencies() => new OverlapFigure();

    /// <summary>
    /// Any per-variant figure a run records (a counter's mean, a <c>Server-Timing</c> share), lower being better: what a
    /// new entry proved by its own figure declares in one line.
    /// </summary>
    public static ProvingMetric MeanOf(string name, Func<VariantResult, double?> figure, Func<IEnumerable<double>, string> format) =>
        new PerVariantFigure(name, name, null, v => figure(v) ?? double.NaN, format);

    /// <summary>The pair of variants of the scenario's newest measured setup (on this client link), whose current runs hold their latencies.</summary>
    internal static SetupRuns? PairSetup(LogInputs inputs, string scenario, string? clientProfile) =>
        inputs.HistoryOf(scenario).Pairs.FirstOrDefault(s => s.Setup.Condition is null && s.Setup.ClientProfile == clientProfile);

    internal static string RunConditions(IReadOnlyList<RunResult> runs)
    {
        var newest = runs[0];
        return string.Create(CultureInfo.InvariantCulture,
            $"`{newest.Profile}`{(newest.OwnClientProfile is { } client ? $", client link `{client}`" : "")}, {Figures.RequestsPerSecond(newest.Rate)}, " +
            $"{runs.Min(r => r.Variants.Min(v => v.Count)):N0} requests a variant");
    }

    internal static Quote FromRuns(string scenario, string metric, IReadOnlyList<RunResult> runs, string naive, string optimized, double[] ratios) =>
        new(scenario, metric, naive, optimized, RatioSpread(ratios), ratios.Length > 0 ? Spread.Of(ratios).Median : null, RunConditions(runs), runs.Count, "run",
            runs[0].StartedUtc, runs.Any(RunMarks.SlowLinks), [.. runs.SelectMany(r => RunMarks.MarksOf(r.Condition)).Where(m => m != LinkRoundTrip.SlowerThanProfile).Distinct()]);

    internal static string RatioSpread(double[] ratios) => ratios.Length switch
    {
        0 => "–",
        1 => Figures.Ratio(ratios[0], 1),
        _ => Figures.Spread(ratios),
    };

    /// <summary>A figure of each variant over the newest runs: naive's and optimized's range, and the ratio of each run.</summary>
    private sealed class PerVariantFigure(string shortName, string name, string? clientProfile, Func<VariantResult, double> figure,
        Func<IEnumerable<double>, string> format) : ProvingMetric
    {
        public override string Name => name;

        public override string? ClientProfile => clientProfile;

        public override Quote? Quote(LogInputs inputs, string scenario)
        {
            if (PairSetup(inputs, scenario, clientProfile) is not { } setup || !setup.Current.All(RunMarks.LatenciesHold)
                || setup.Current.Any(r => r.Variants.Any(v => double.IsNaN(figure(v)))))
            {
                return null;
            }

            var runs = setup.Current;
            var ratios = runs.Where(r => figure(r.Variants[^1]) > 0).Select(r => figure(r.Variants[0]) / figure(r.Variants[^1])).ToArray();
            return FromRuns(scenario, shortName, runs, format(runs.Select(r => figure(r.Variants[0]))), format(runs.Select(r => figure(r.Variants[^1]))), ratios);
        }
    }

    /// <summary>What each request carried (rows of an import) over its mean latency, per second: higher is better.</summary>
    private sealed class WorkRateFigure : ProvingMetric
    {
        public override string Name => "work per second at the mean latency (rows per second of an import)";

        public override Quote? Quote(LogInputs inputs, string scenario)
        {
            if (PairSetup(inputs, scenario, null) is not { } setup || setup.Current.Any(r => r.Work is null))
            {
                return null;
            }

            var runs = setup.Current;
            var unit = runs[0].Work!.Unit;
            double Rate(RunResult run, VariantResult v) => Figures.WorkRate(run.Work!.Amount, v.MeanMs);
            string Format(IEnumerable<double> rates) => Figures.Range(rates, r => Math.Round(r).ToString("N0", CultureInfo.InvariantCulture), $" {unit}/s");
            var ratios = runs.Where(r => Rate(r, r.Variants[0]) > 0).Select(r => Rate(r, r.Variants[^1]) / Rate(r, r.Variants[0])).ToArray();
            return FromRuns(scenario, $"{unit} per second", runs, Format(runs.Select(r => Rate(r, r.Variants[0]))), Format(runs.Select(r => Rate(r, r.Variants[^1]))), ratios);
        }
    }

    private sealed class HitRatioFigure : ProvingMetric
    {
        private readonly ProvingMetric _p99 = P99();

        public override string Name => "P99 of the first requests after a restart, and the hit ratio";

        public override Quote? Quote(LogInputs inputs, string scenario)
        {
            if (_p99.Quote(inputs, scenario) is not { } quote || PairSetup(inputs, scenario, null) is not { } setup)
            {
                return null;
            }

            var misses = setup.Current.Select(r => r.Variants[^1].MeanOf(PerfCounter.DbRoundtrips)).ToArray();
            return misses.Any(m => m is null)
                ? quote
                : quote with { Optimized = $"{quote.Optimized}, hit ratio {Figures.Range(misses.Select(m => 1 - m!.Value), Figures.Percent)}" };
        }
    }

    private sealed class CapacityFigure(double sloMs) : ProvingMetric
    {
        public override string Name => string.Create(CultureInfo.InvariantCulture, $"capacity within P99 < {Figures.Setting(sloMs)} (each variant alone)");

        public override Quote? Quote(LogInputs inputs, string scenario)
        {
            var search = inputs.HistoryOf(scenario).Capacities
                .Where(c => c.Mode == CapacityResult.Phased && Math.Abs(c.SloP99Ms - sloMs) < 0.5)
                .MaxBy(c => c.StartedUtc);
            if (search is null)
            {
                return null;
            }

            var (naive, optimized) = (search.Variants[0], search.Variants[^1]);
            double? improvement = naive.SustainedRate is > 0 && optimized.SustainedRate is { } high ? high / naive.SustainedRate.Value : null;
            return new Quote(scenario, string.Create(CultureInfo.InvariantCulture, $"capacity, P99 < {Figures.Setting(sloMs)}"),
                CapacityFigures.Sustained(naive) + " requests/s", CapacityFigures.Sustained(optimized) + " requests/s",
                CapacityFigures.Ratio(naive, optimized), improvement,
                $"`{search.Profile}`, phased capacity search (each variant alone, the rate ×{search.Factor.ToString("0.##", CultureInfo.InvariantCulture)} every {Figures.Rate(search.StepSeconds)} s)",
                1, "search", search.StartedUtc, RunMarks.SlowLinks(search), [.. RunMarks.MarksOf(search.Condition).Where(m => m != LinkRoundTrip.SlowerThanProfile)]);
        }
    }

    private sealed class SweepFigure(int inFlight) : ProvingMetric
    {
        public override string Name => string.Create(CultureInfo.InvariantCulture, $"throughput at {inFlight} requests in flight");

        public override Quote? Quote(LogInputs inputs, string scenario)
        {
            var sweep = inputs.HistoryOf(scenario).Sweeps.Where(s => s.Points.Any(p => p.InFlight == inFlight)).MaxBy(s => s.StartedUtc);
            var variants = sweep?.Points.Select(p => p.Variant).Distinct(StringComparer.Ordinal).ToArray() ?? [];
            if (sweep is null || variants.Length < 2)
            {
                return null;
            }

            var (naive, optimized) = (Point(sweep, variants[0]), Point(sweep, variants[^1]));
            if (naive is null || optimized is null)
            {
                return null;
            }

            return new Quote(scenario, Name, Figures.RequestsPerSecond(naive.Throughput), Figures.RequestsPerSecond(optimized.Throughput),
                naive.Throughput > 0 ? Figures.Ratio(optimized.Throughput, naive.Throughput) : "–",
                naive.Throughput > 0 ? optimized.Throughput / naive.Throughput : null,
                string.Create(CultureInfo.InvariantCulture, $"`{sweep.Profile}`, closed loop, each variant alone, {Figures.Rate(sweep.StepSeconds)} s a level"),
                1, "sweep", sweep.StartedUtc, RunMarks.SlowLinks(sweep), [.. RunMarks.MarksOf(sweep.Condition).Where(m => m != LinkRoundTrip.SlowerThanProfile)]);
        }

        private SweepPoint? Point(SweepResult sweep, string variant) => sweep.Points.FirstOrDefault(p => p.Variant == variant && p.InFlight == inFlight && p.Errors * 100 <= p.Requests);
    }

    private sealed class HeapSlopeFigure : ProvingMetric
    {
        /// <summary>The live heap's growth is recorded to a tenth of a MB a minute.</summary>
        private const double ResolutionMBPerMinute = 0.1;

        public override string Name => "live heap growth (MB a minute, after a full collection)";

        public override Quote? Quote(LogInputs inputs, string scenario)
        {
            var run = inputs.HistoryOf(scenario).Quoted.Select(s => s.Newest!)
                .Where(r => r.Phases is { Count: >= 2 } phases && phases.All(p => p.LiveHeapGrowthMBPerMinute is not null))
                .MaxBy(r => r.StartedUtc);
            if (run is null)
            {
                return null;
            }

            var (naive, optimized) = (run.Phases![0].LiveHeapGrowthMBPerMinute!.Value, run.Phases[^1].LiveHeapGrowthMBPerMinute!.Value);
            return new Quote(scenario, "live heap growth", Slope(naive), Slope(optimized),
                Figures.Ratio(naive, optimized, ResolutionMBPerMinute), optimized >= ResolutionMBPerMinute ? naive / optimized : null,
                string.Create(CultureInfo.InvariantCulture,
                    $"`{run.Profile}`, {Figures.RequestsPerSecond(run.Rate)} for {Durations(run.DurationSeconds)} a variant, one after the other"),
                1, "soak", run.StartedUtc, RunMarks.SlowLinks(run), [.. RunMarks.MarksOf(run.Condition).Where(m => m != LinkRoundTrip.SlowerThanProfile)]);
        }

        private static string Slope(double mbPerMinute) => mbPerMinute.ToString("0.0", CultureInfo.InvariantCulture) + " MB/min";
    }

    private sealed class OverlapFigure : ProvingMetric
    {
        public override string Name => "the service's time against its dependencies' summed (Server-Timing, means)";

        public override Quote? Quote(LogInputs inputs, string scenario)
        {
            if (PairSetup(inputs, scenario, null) is not { } setup || setup.Current.Any(r => r.Variants.Any(v => v.MeanServerMs is null)))
            {
                return null;
            }

            var runs = setup.Current;
            string Of(int variant) =>
                $"{Figures.MillisRange(runs.Select(r => r.Variants[variant].MeanServerMs!.Value))} in the service, " +
                $"{Figures.MillisRange(runs.Select(r => Waits(r.Variants[variant])))} of waits";
            var ratios = runs.Select(r => r.Variants[0].MeanServerMs!.Value / r.Variants[^1].MeanServerMs!.Value).ToArray();
            return FromRuns(scenario, "service time (mean) against its waits summed", runs, Of(0), Of(runs[0].Variants.Count - 1), ratios);
        }

        private static double Waits(VariantResult v) => (v.MeanDbMs ?? 0) + (v.MeanGrainMs ?? 0) + (v.MeanPaymentMs ?? 0);
    }

    /// <summary>"10 min", "90 s".</summary>
    internal static string Durations(double seconds) =>
        seconds >= 120 && seconds % 60 == 0 ? $"{(seconds / 60).ToString("0", CultureInfo.InvariantCulture)} min" : $"{Figures.Rate(seconds)} s";
}
