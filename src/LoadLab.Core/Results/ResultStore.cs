using System.Globalization;
using System.Text.Json.Serialization.Metadata;

namespace PerfReference.LoadLab.Results;

/// <summary>
/// One kind of result file: its folder under results/ (none for a scenario's runs), how many folders below it a file
/// lies (<c>&lt;scenario&gt;/</c>: one), where a result goes, and its JSON. A folder deeper down holds files kept out of
/// the log on purpose (a drill against a setting the system does not run with by default, cited by the docs that explain it).
/// </summary>
public sealed record ResultKind<T>(string Folder, int Depth, Func<T, string> FileOf, JsonTypeInfo<T> Json) where T : ResultHeader
{
    /// <summary>The files of this kind under a results folder.</summary>
    public ResultStore<T> In(string resultsDirectory) => new(resultsDirectory, this);
}

/// <summary>The result files of one kind under a results folder: written where the kind says, read back in a stable (ordinal path) order.</summary>
public sealed class ResultStore<T>(string resultsDirectory, ResultKind<T> kind) where T : ResultHeader
{
    public string Directory { get; } = Path.Combine(resultsDirectory, kind.Folder);

    public string PathFor(T result) => Path.Combine(Directory, kind.FileOf(result));

    public Task<string> WriteAsync(T result, CancellationToken ct = default) => JsonFiles.WriteAsync(PathFor(result), result, kind.Json, ct);

    public T Read(string path) => JsonFiles.Read(path, kind.Json);

    /// <summary>Every file of the kind (at its depth; a scenario's runs leave out the other kinds' folders).</summary>
    public IReadOnlyList<T> ReadAll()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        IEnumerable<string> folders = [Directory];
        for (var level = 0; level < kind.Depth; level++)
        {
            folders = folders.SelectMany(System.IO.Directory.EnumerateDirectories);
        }

        return [.. folders
            .Where(folder => kind.Folder.Length > 0 || !ResultFiles.OtherKinds.Contains(Path.GetRelativePath(Directory, folder).Split(Path.DirectorySeparatorChar)[0]))
            .SelectMany(folder => System.IO.Directory.EnumerateFiles(folder, "*.json"))
            .Where(file => !file.EndsWith(RunTraces.FileSuffix, StringComparison.Ordinal)) // a run's traces beside its result
            .Order(StringComparer.Ordinal)
            .Select(Read)];
    }
}

/// <summary>
/// The kinds of result file under results/, and how their names are made: &lt;UTC timestamp&gt;-&lt;profile&gt;, with
/// "-client-&lt;client profile&gt;" when a run's client link had a profile of its own and "-&lt;mode&gt;" for a capacity search.
/// </summary>
public static class ResultFiles
{
    public static ResultKind<RunResult> Runs { get; } = new("", 1,
        r => Path.Combine(r.Scenario, $"{Timestamp(r.StartedUtc)}-{ProfileTag(r.Profile, r.ClientProfile)}.json"), JsonFiles.Json.RunResult);

    public static ResultKind<CapacityResult> Capacity { get; } = new("capacity", 1,
        r => Path.Combine(r.Scenario, $"{Timestamp(r.StartedUtc)}-{r.Profile}-{r.Mode}.json"), JsonFiles.Json.CapacityResult);

    public static ResultKind<SweepResult> Sweeps { get; } = new("sweep", 1,
        r => Path.Combine(r.Scenario, $"{Timestamp(r.StartedUtc)}-{r.Profile}.json"), JsonFiles.Json.SweepResult);

    public static ResultKind<CeilingResult> Ceilings { get; } = new("ceiling", 0,
        r => $"{Timestamp(r.StartedUtc)}-{r.Profile}.json", JsonFiles.Json.CeilingResult);

    public static ResultKind<DrillResult> Drills { get; } = new("drills", 1,
        r => Path.Combine(r.Drill, $"{Timestamp(r.StartedUtc)}.json"), JsonFiles.Json.DrillResult);

    public static ResultKind<OverloadResult> Overloads { get; } = new("overload", 1,
        r => Path.Combine(r.Scenario, $"{Timestamp(r.StartedUtc)}-{r.Profile}.json"), JsonFiles.Json.OverloadResult);

    public static ResultKind<ProxyCostResult> ProxyCosts { get; } = new("proxy", 0,
        r => $"{Timestamp(r.StartedUtc)}-{r.Profile}.json", JsonFiles.Json.ProxyCostResult);

    /// <summary>The folders of results/ that hold other kinds than a scenario's runs.</summary>
    public static IReadOnlyList<string> OtherKinds { get; } = [Capacity.Folder, Sweeps.Folder, Ceilings.Folder, Drills.Folder, Overloads.Folder, ProxyCosts.Folder];

    /// <summary>How a file name names the network: "seed", or "seed-client-mobile" when the client's link had a profile of its own.</summary>
    public static string ProfileTag(string profile, string? clientProfile) =>
        clientProfile is { } client && client != profile ? $"{profile}-client-{client}" : profile;

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
