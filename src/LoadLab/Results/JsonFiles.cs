using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PerfReference.LoadLab.Results;

/// <summary>How every kind of result file is written and read: indented, source-generated JSON, one file per result.</summary>
public static class JsonFiles
{
    /// <summary>Readable files: "N+1" and base64 as they are, not \u-escaped (the files are local, never embedded in HTML).</summary>
    public static LabJsonContext Json { get; } = new(new JsonSerializerOptions(LabJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static async Task<string> WriteAsync<T>(string path, T value, JsonTypeInfo<T> type, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, value, type, ct);
        await file.WriteAsync("\n"u8.ToArray(), ct);
        return path;
    }

    /// <summary>Every *.json under a folder, in a stable (ordinal path) order; none when the folder does not exist.</summary>
    public static IReadOnlyList<T> ReadAll<T>(string directory, JsonTypeInfo<T> type) =>
        Directory.Exists(directory)
            ? [.. Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(path => Read(path, type))]
            : [];

    public static T Read<T>(string path, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), type) ?? throw new LabInputException($"{path} is empty.");
        }
        catch (JsonException ex)
        {
            throw new LabInputException($"{path} is not a result file: {ex.Message}");
        }
    }
}
