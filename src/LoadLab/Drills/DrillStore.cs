using System.Text.Encodings.Web;
using System.Text.Json;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Drills;

/// <summary>Drill result files: results/drills/&lt;drill&gt;/&lt;UTC timestamp&gt;.json.</summary>
public sealed class DrillStore(string resultsDirectory)
{
    /// <summary>The folder under results/ that holds drills, not scenario runs.</summary>
    public const string Folder = "drills";

    private static readonly LabJsonContext Json = new(new JsonSerializerOptions(LabJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public string Directory { get; } = Path.Combine(resultsDirectory, Folder);

    public async Task<string> WriteAsync(DrillResult result, CancellationToken ct = default)
    {
        var path = Path.Combine(Directory, result.Drill, ResultStore.Timestamp(result.StartedUtc) + ".json");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, result, Json.DrillResult, ct);
        await file.WriteAsync("\n"u8.ToArray(), ct);
        return path;
    }

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
                .Select(path => JsonSerializer.Deserialize(File.ReadAllText(path), Json.DrillResult) ?? throw new LabInputException($"{path} is empty."))]
            : [];
}
