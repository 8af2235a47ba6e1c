using System.Globalization;

namespace PerfReference.LoadLab.Results;

/// <summary>
/// Result files: results/&lt;scenario&gt;/&lt;UTC timestamp&gt;-&lt;profile&gt;.json, or -&lt;profile&gt;-client-&lt;client profile&gt;.json
/// when the client's link had a profile of its own.
/// </summary>
public sealed class ResultStore(string directory)
{
    public string Directory { get; } = directory;

    public string PathFor(RunResult result, string extension = ".json") => Path.Combine(
        Directory, result.Scenario,
        Timestamp(result.StartedUtc) + "-" + ProfileTag(result.Profile, result.ClientProfile) + extension);

    /// <summary>How a file name names the network: "seed", or "seed-client-mobile" when the client's link had a profile of its own.</summary>
    public static string ProfileTag(string profile, string? clientProfile) =>
        clientProfile is { } client && client != profile ? $"{profile}-client-{client}" : profile;

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    public Task<string> WriteAsync(RunResult result, CancellationToken ct = default) => JsonFiles.WriteAsync(PathFor(result), result, JsonFiles.Json.RunResult, ct);

    public static RunResult Read(string path) => JsonFiles.Read(path, JsonFiles.Json.RunResult);

    /// <summary>Folders of results/ that hold other kinds of result (drills, capacity searches, concurrency sweeps, ceilings).</summary>
    private static readonly string[] OtherKinds = [Drills.DrillStore.Folder, Capacity.CapacityStore.Folder, Sweep.SweepStore.Folder, Ceiling.CeilingStore.Folder];

    /// <summary>Every result file of a scenario run (drills and capacity searches have their own folders), in a stable (ordinal path) order.</summary>
    public IReadOnlyList<RunResult> ReadAll() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory, "*.json", SearchOption.AllDirectories)
                .Where(path => !OtherKinds.Contains(Path.GetRelativePath(Directory, path).Split(Path.DirectorySeparatorChar)[0]))
                .Order(StringComparer.Ordinal)
                .Select(Read)
                .ToArray()
            : [];
}
