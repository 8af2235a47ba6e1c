using HdrHistogram;
using PerfReference.LoadLab.Log;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>Result files made from known latencies, so every figure in them can be checked.</summary>
public static class ResultSamples
{
    public static readonly MachineInfo Machine = new(2, 23.4, "Debian GNU/Linux 13 (trixie)", "10.0.0");

    public static RunResult Make(string scenario, string profile, DateTimeOffset started, params (string Label, string Header, double BaseMs, double? Db)[] variants) => new(
        scenario,
        scenario == "seed-checkout" ? "The seed checkout: everything naive against everything optimized" : "N+1 database queries",
        started,
        started.AddSeconds(35),
        20,
        30,
        5,
        profile,
        "http://localhost:5180",
        "order 42 with 200 lines",
        Machine,
        "abc1234",
        $"dotnet run --project src/LoadLab -- run {scenario} --rate 20 --duration 30s --warmup 5s --profile {profile}",
        variants.Select(v => Variant(v.Label, v.Header, v.BaseMs, v.Db)).ToArray());

    /// <summary>The log generated from the result files under <paramref name="results"/> and the fixtures' entry texts, written into <paramref name="docs"/>.</summary>
    public static string Log(string results, string docs)
    {
        var output = Path.Combine(Directory.CreateDirectory(docs).FullName, "optimizations.md");
        LogWriter.Write(results, output, Path.Combine(AppContext.BaseDirectory, "LoadLab", "Fixtures", "log"));
        return File.ReadAllText(output);
    }

    /// <summary>300 requests at base, 1.1×base ... up to 3×base: a known, skewed distribution.</summary>
    private static VariantResult Variant(string label, string header, double baseMs, double? db)
    {
        var histogram = new LongHistogram(600_000_000, 3);
        for (var i = 0; i < 300; i++)
        {
            histogram.RecordValue((long)(baseMs * 1000 * (1 + 2.0 * i * i / (299.0 * 299.0))));
        }

        double Ms(double p) => histogram.GetValueAtPercentile(p) / 1000.0;
        return new VariantResult(label, header, 301, 1, new Dictionary<string, long> { ["HTTP 503"] = 1 }, 10,
            Ms(50), Ms(90), Ms(95), Ms(99), Ms(99.9), histogram.GetMaxValue() / 1000.0, Math.Round(histogram.GetMean() / 1000.0, 3),
            db, 1, 0, 48_213.5, HistogramCodec.Encode(histogram));
    }
}
