using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Drills;

/// <summary>Drill result files: results/drills/&lt;drill&gt;/&lt;UTC timestamp&gt;.json.</summary>
public sealed class DrillStore(string resultsDirectory)
{
    /// <summary>The folder under results/ that holds drills, not scenario runs.</summary>
    public const string Folder = "drills";

    public string Directory { get; } = Path.Combine(resultsDirectory, Folder);

    public Task<string> WriteAsync(DrillResult result, CancellationToken ct = default) => JsonFiles.WriteAsync(
        Path.Combine(Directory, result.Drill, ResultStore.Timestamp(result.StartedUtc) + ".json"), result, JsonFiles.Json.DrillResult, ct);

    /// <summary>Every drill result, in a stable (ordinal path) order.</summary>
    public IReadOnlyList<DrillResult> ReadAll() => JsonFiles.ReadAll(Directory, JsonFiles.Json.DrillResult);
}
