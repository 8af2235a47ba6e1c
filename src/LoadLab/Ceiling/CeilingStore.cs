using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Ceiling;

/// <summary>Ceiling measurements: results/ceiling/&lt;UTC timestamp&gt;-&lt;profile&gt;.json.</summary>
public sealed class CeilingStore(string resultsDirectory)
{
    /// <summary>The folder under results/ that holds ceiling measurements, not scenario runs.</summary>
    public const string Folder = "ceiling";

    public string Directory { get; } = Path.Combine(resultsDirectory, Folder);

    public Task<string> WriteAsync(CeilingResult result, CancellationToken ct = default) => JsonFiles.WriteAsync(
        Path.Combine(Directory, $"{ResultStore.Timestamp(result.StartedUtc)}-{result.Profile}.json"), result, JsonFiles.Json.CeilingResult, ct);

    /// <summary>Every ceiling measurement, in a stable (ordinal path) order.</summary>
    public IReadOnlyList<CeilingResult> ReadAll() => JsonFiles.ReadAll(Directory, JsonFiles.Json.CeilingResult);
}
