using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PerfReference.LoadLab.Results;

/// <summary>Result files: results/&lt;scenario&gt;/&lt;UTC timestamp&gt;-&lt;profile&gt;.json.</summary>
public sealed class ResultStore(string directory)
{
    /// <summary>Readable files: "N+1" and base64 as they are, not \u-escaped (the files are local, never embedded in HTML).</summary>
    private static readonly LabJsonContext Json = new(new JsonSerializerOptions(LabJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public string Directory { get; } = directory;

    public string PathFor(RunResult result, string extension = ".json") => Path.Combine(
        Directory, result.Scenario,
        Timestamp(result.StartedUtc) + "-" + result.Profile + extension);

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    public async Task<string> WriteAsync(RunResult result, CancellationToken ct = default)
    {
        var path = PathFor(result);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, result, Json.RunResult, ct);
        await file.WriteAsync("\n"u8.ToArray(), ct);
        return path;
    }

    public static RunResult Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), Json.RunResult)
                ?? throw new LabInputException($"{path} is empty.");
        }
        catch (JsonException ex)
        {
            throw new LabInputException($"{path} is not a result file: {ex.Message}");
        }
    }

    /// <summary>Every result file of a scenario run (drills have their own folder), in a stable (ordinal path) order.</summary>
    public IReadOnlyList<RunResult> ReadAll() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory, "*.json", SearchOption.AllDirectories)
                .Where(path => Path.GetRelativePath(Directory, path).Split(Path.DirectorySeparatorChar)[0] != Drills.DrillStore.Folder)
                .Order(StringComparer.Ordinal)
                .Select(Read)
                .ToArray()
            : [];
}
