using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Capacity;

/// <summary>Capacity results: results/capacity/&lt;scenario&gt;/&lt;UTC timestamp&gt;-&lt;profile&gt;-&lt;mode&gt;.json.</summary>
public sealed class CapacityStore(string resultsDirectory)
{
    /// <summary>The folder under results/ that holds capacity searches, not scenario runs.</summary>
    public const string Folder = "capacity";

    public string Directory { get; } = Path.Combine(resultsDirectory, Folder);

    public Task<string> WriteAsync(CapacityResult result, CancellationToken ct = default) => JsonFiles.WriteAsync(
        Path.Combine(Directory, result.Scenario, $"{ResultStore.Timestamp(result.StartedUtc)}-{result.Profile}-{result.Mode}.json"),
        result, JsonFiles.Json.CapacityResult, ct);

    /// <summary>Every capacity result, in a stable (ordinal path) order.</summary>
    public IReadOnlyList<CapacityResult> ReadAll() => JsonFiles.ReadAll(Directory, JsonFiles.Json.CapacityResult);
}
