using HdrHistogram;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>Result files made from known latencies, so every figure in them can be checked.</summary>
public static class ResultSamples
{
    public static readonly MachineInfo Machine = new(2, 23.4, "Debian GNU/Linux 13 (trixie)", "10.0.0");

    public static RunResult Make(string scenario, string profile, DateTimeOffset started, params (string Label, string Header, double BaseMs, double? Db)[] variants) => new()
    {
        Scenario = scenario,
        Title = scenario == "seed-checkout" ? "The seed checkout: everything naive against everything optimized" : "N+1 database queries",
        StartedUtc = started,
        FinishedUtc = started.AddSeconds(35),
        Rate = 20,
        DurationSeconds = 30,
        WarmupSeconds = 5,
        Profile = profile,
        BaseUrl = "http://localhost:5180",
        Setup = "order 42 with 200 lines",
        Machine = Machine,
        Commit = "abc1234",
        Command = $"dotnet run --project src/LoadLab -- run {scenario} --rate 20 --duration 30s --warmup 5s --profile {profile}",
        Variants = [.. variants.Select(v => Variant(v.Label, v.Header, v.BaseMs, v.Db))],
    };

    /// <summary>
    /// The log generated from the result files under <paramref name="results"/> and the fixtures' entry texts, written into
    /// <paramref name="docs"/>: its index, then each page it wrote (docs/entries/, in file order), one after the other.
    /// </summary>
    public static string Log(string results, string docs)
    {
        var output = Path.Combine(Directory.CreateDirectory(docs).FullName, "optimizations.md");
        LogWriter.Write(results, output, Path.Combine(AppContext.BaseDirectory, "LoadLab", "Fixtures", "log"));
        return Read(output);
    }

    /// <summary>A written log's index and its pages, one after the other.</summary>
    public static string Read(string index) =>
        string.Concat(new[] { index }.Concat(Directory.GetFiles(Path.Combine(Path.GetDirectoryName(index)!, LogGenerator.PagesFolder), "*.md").Order(StringComparer.Ordinal))
            .Select(File.ReadAllText));

    /// <summary>300 requests at base, 1.1×base ... up to 3×base: a known, skewed distribution.</summary>
    private static VariantResult Variant(string label, string header, double baseMs, double? db)
    {
        var histogram = new LongHistogram(600_000_000, 3);
        for (var i = 0; i < 300; i++)
        {
            histogram.RecordValue((long)(baseMs * 1000 * (1 + 2.0 * i * i / (299.0 * 299.0))));
        }

        double Ms(double p) => histogram.GetValueAtPercentile(p) / 1000.0;
        return new VariantResult
        {
            Label = label,
            Header = header,
            Count = 301,
            Errors = 1,
            ErrorsByKind = new Dictionary<string, long> { ["HTTP 503"] = 1 },
            Throughput = 10,
            P50Ms = Ms(50),
            P90Ms = Ms(90),
            P95Ms = Ms(95),
            P99Ms = Ms(99),
            P999Ms = Ms(99.9),
            MaxMs = histogram.GetMaxValue() / 1000.0,
            MeanMs = Math.Round(histogram.GetMean() / 1000.0, 3),
            CounterMeans = VariantTotals.Means([(PerfCounter.DbRoundtrips, db), (PerfCounter.GrainCalls, 1), (PerfCounter.PaymentCalls, 0)]),
            MeanBytes = 48_213.5,
            Histogram = HistogramCodec.Encode(histogram),
        };
    }
}
