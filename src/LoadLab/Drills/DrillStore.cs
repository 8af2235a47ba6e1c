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

    /// <summary>
    /// Every drill result (results/drills/&lt;drill&gt;/*.json), in a stable (ordinal path) order. A drill
    /// folder's subfolders hold runs kept out of the log on purpose — a drill against a setting the
    /// system does not run with by default (<c>without-persistence/</c>), cited by the docs that explain it.
    /// </summary>
    public IReadOnlyList<DrillResult> ReadAll() =>
        System.IO.Directory.Exists(Directory)
            ? [.. System.IO.Directory.EnumerateDirectories(Directory)
                .SelectMany(drill => System.IO.Directory.EnumerateFiles(drill, "*.json", SearchOption.TopDirectoryOnly))
                .Order(StringComparer.Ordinal)
                .Select(path => JsonFiles.Read(path, JsonFiles.Json.DrillResult))]
            : [];
}
