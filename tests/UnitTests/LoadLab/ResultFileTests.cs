using PerfReference.LoadLab.Results;
using PerfReference.Performance;

namespace PerfReference.UnitTests.LoadLab;

public sealed class ResultFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("perfref-results-").FullName;

    [Fact]
    public async Task AResultReadsBackWithTheSameFigures()
    {
        var written = ResultSamples.Make("n-plus-one-db", "seed", new DateTimeOffset(2025, 3, 1, 12, 30, 5, TimeSpan.Zero),
            ("naive", "naive", 1000, 201), ("optimized", "naive, n-plus-one-db=optimized", 10, 2));
        var store = ResultFiles.Runs.In(_directory);

        var path = await store.WriteAsync(written, TestContext.Current.CancellationToken);
        var read = ResultFiles.Runs.In("").Read(path);

        Assert.Equal(Path.Combine(_directory, "n-plus-one-db", "20250301T123005Z-seed.json"), path);
        Assert.Equal(written with { Variants = [] }, read with { Variants = [] });
        Assert.Equal(written.Machine, read.Machine);
        foreach (var (expected, actual) in written.Variants.Zip(read.Variants))
        {
            Assert.Equal(expected with { ErrorsByKind = null!, CounterMeans = null! }, actual with { ErrorsByKind = null!, CounterMeans = null! });
            Assert.Equal(expected.ErrorsByKind, actual.ErrorsByKind);
            Assert.Equal(PerfCounter.Recorded.Select(expected.MeanOf), PerfCounter.Recorded.Select(actual.MeanOf));

            // The encoded histogram redraws the same percentiles.
            var histogram = HistogramCodec.Decode(actual.Histogram);
            Assert.Equal(300, histogram.TotalCount);
            Assert.Equal(expected.P99Ms, histogram.GetValueAtPercentile(99) / 1000.0);
        }
    }

    [Fact]
    public void AFileThatIsNotAResultIsNamedInTheError()
    {
        var path = Path.Combine(_directory, "broken.json");
        File.WriteAllText(path, "{ not json");

        var error = Assert.Throws<PerfReference.LoadLab.LabInputException>(() => ResultFiles.Runs.In("").Read(path));

        Assert.Contains(path, error.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
