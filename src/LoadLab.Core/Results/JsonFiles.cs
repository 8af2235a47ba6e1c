using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PerfReference.LoadLab.Results;

/// <summary>How every kind of result file is written and read: indented, source-generated JSON, one file per result.</summary>
public static class JsonFiles
{
    /// <summary>Readable files: "N+1" and base64 as they are, not \u-escaped (the files are local, never embedded in HTML).</summary>
    public static ResultJsonContext Json { get; } = new(new JsonSerializerOptions(ResultJsonContext.Default.Options)
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
