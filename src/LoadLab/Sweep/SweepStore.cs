using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Sweep;

/// <summary>Concurrency sweeps: results/sweep/&lt;scenario&gt;/&lt;UTC timestamp&gt;-&lt;profile&gt;.json.</summary>
public sealed class SweepStore(string resultsDirectory)
{
    /// <summary>The folder under results/ that holds concurrency sweeps, not scenario runs.</summary>
    public const string Folder = "sweep";

    public string Directory { get; } = Path.Combine(resultsDirectory, Folder);

    public Task<string> WriteAsync(SweepResult result, CancellationToken ct = default) => JsonFiles.WriteAsync(
        Path.Combine(Directory, result.Scenario, $"{ResultStore.Timestamp(result.StartedUtc)}-{result.Profile}.json"),
        result, JsonFiles.Json.SweepResult, ct);

    /// <summary>Every sweep, in a stable (ordinal path) order.</summary>
    public IReadOnlyList<SweepResult> ReadAll() => JsonFiles.ReadAll(Directory, JsonFiles.Json.SweepResult);
}
