using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// Every kind of result file the lab has written (a sample of real ones, Fixtures/golden/results) reads into the lab's
/// schema and writes back as the same JSON, field for field: no figure of an existing file is lost or changed when the
/// schema's types change.
/// </summary>
public sealed class ResultSchemaTests
{
    private static readonly string Results = Path.Combine(AppContext.BaseDirectory, "LoadLab", "Fixtures", "golden", "results");

    public static TheoryData<string> Files => [.. Directory.EnumerateFiles(Results, "*.json", SearchOption.AllDirectories)
        .Select(file => Path.GetRelativePath(Results, file)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Files))]
    public void AResultFileReadsAndWritesBackEveryFieldItHad(string file)
    {
        var path = Path.Combine(Results, file);
        var kind = file.Split(Path.DirectorySeparatorChar)[0];
        var rewritten =
            kind == ResultFiles.Capacity.Folder ? RoundTrip(path, JsonFiles.Json.CapacityResult)
            : kind == ResultFiles.Sweeps.Folder ? RoundTrip(path, JsonFiles.Json.SweepResult)
            : kind == ResultFiles.Ceilings.Folder ? RoundTrip(path, JsonFiles.Json.CeilingResult)
            : kind == ResultFiles.Drills.Folder ? RoundTrip(path, JsonFiles.Json.DrillResult)
            : RoundTrip(path, JsonFiles.Json.RunResult);

        var differences = Differences(JsonNode.Parse(File.ReadAllText(path)), rewritten, "$");
        Assert.True(differences.Length == 0, $"{file} changed when read and written back:\n{differences}");
    }

    private static JsonNode? RoundTrip<T>(string path, JsonTypeInfo<T> type) =>
        JsonNode.Parse(JsonSerializer.Serialize(JsonFiles.Read(path, type), type));

    /// <summary>
    /// Where the written document lost or changed a value of the read one (numbers compared as numbers, fields in any
    /// order). A field the file did not have may be written with its empty value (null, false, 0): a newer schema's field.
    /// </summary>
    private static string Differences(JsonNode? read, JsonNode? written, string at) => (read, written) switch
    {
        (JsonObject r, JsonObject w) => string.Concat(r.Select(p => Differences(p.Value, w.TryGetPropertyValue(p.Key, out var value) ? value : Missing, $"{at}.{p.Key}"))
            .Concat(w.Where(p => !r.ContainsKey(p.Key) && !IsEmpty(p.Value)).Select(p => $"{at}.{p.Key}: (none) → {p.Value?.ToJsonString()}\n"))),
        (JsonArray r, JsonArray w) when r.Count == w.Count => string.Concat(r.Select((item, i) => Differences(item, w[i], $"{at}[{i}]"))),
        (JsonValue r, JsonValue w) when r.GetValueKind() == JsonValueKind.Number && w.GetValueKind() == JsonValueKind.Number
            && r.GetValue<double>() == w.GetValue<double>() => "",
        (null, null) => "",
        _ when read is not null && written is not null && read.ToJsonString() == written.ToJsonString() => "",
        _ => $"{at}: {read?.ToJsonString() ?? "null"} → {(ReferenceEquals(written, Missing) ? "(none)" : written?.ToJsonString() ?? "null")}\n",
    };

    private static readonly JsonNode Missing = JsonValue.Create("(missing)");

    private static bool IsEmpty(JsonNode? node) =>
        node is null || node.GetValueKind() is JsonValueKind.False || (node.GetValueKind() == JsonValueKind.Number && node.GetValue<double>() == 0);
}
