using System.Text.Json;
using PerfReference.LoadLab.Results;
using PerfReference.Performance;

namespace PerfReference.UnitTests;

/// <summary>
/// Every per-request counter is declared once (<see cref="PerfCounter"/>) and enumerated by everything that reports or
/// reads it: each name, header, span tag, metric and result field is its own, and a counter the lab keeps travels from
/// a request's counts to a result file and back.
/// </summary>
public sealed class PerfCounterTests
{
    [Fact]
    public void EachCounterHasItsOwnNameHeaderTagMetricAndResultField()
    {
        foreach (var names in new Func<PerfCounter, string?>[] { c => c.Name, c => c.Header, c => c.SpanTag, c => c.Metric, c => c.ResultField })
        {
            var given = PerfCounter.All.Select(names).OfType<string>().ToArray();
            Assert.Equal(given.Length, given.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }

        Assert.Equal(Enumerable.Range(0, PerfCounter.All.Count), PerfCounter.All.Select(counter => counter.Index));
    }

    [Fact]
    public void ARequestsCountOfACounterIsItsOwn()
    {
        var counters = new PerfCounters();

        counters.Count(PerfCounter.RedisOperations, 3);
        counters.CountDbRoundtrip();

        Assert.Equal(3, counters[PerfCounter.RedisOperations]);
        Assert.Equal(1, counters.DbRoundtrips);
        Assert.All(PerfCounter.All.Except([PerfCounter.RedisOperations, PerfCounter.DbRoundtrips]), counter => Assert.Equal(0, counters[counter]));
    }

    [Fact]
    public void TheMeanOfEachKeptCounterIsAFieldOfTheResultFileAndReadsBack()
    {
        var variant = new VariantResult
        {
            Label = "naive",
            Header = "naive",
            CounterMeans = VariantTotals.Means(PerfCounter.Recorded.Select((counter, i) => (counter, (double?)(i + 0.5)))),
        };

        var json = JsonSerializer.Serialize(variant, JsonFiles.Json.VariantResult);
        var read = JsonSerializer.Deserialize(json, JsonFiles.Json.VariantResult)!;

        using var file = JsonDocument.Parse(json);
        Assert.All(PerfCounter.Recorded, counter => Assert.True(file.RootElement.TryGetProperty(counter.ResultField!, out _), counter.ResultField));
        Assert.Equal(PerfCounter.Recorded.Select((_, i) => (double?)(i + 0.5)), PerfCounter.Recorded.Select(read.MeanOf));
        Assert.Null(read.MeanOf(PerfCounter.RedisOperations)); // not kept by the lab
    }
}
