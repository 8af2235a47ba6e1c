namespace PerfReference.Hosting.Processes;

/// <summary>
/// Where a server binary (postgres, initdb, redis-server, pgbouncer) is looked for: the folders a distribution
/// installs it to, then PATH — or, when the user names a folder (<c>PERFREF_POSTGRES_BIN</c>,
/// <c>PERFREF_REDIS_BIN</c>), only that folder. A missing binary yields an error that names what to
/// install, so a resource fails fast instead of hanging.
/// </summary>
public sealed record BinaryLocation(IReadOnlyList<string> Directories, bool SearchPath)
{
    public static BinaryLocation Postgres() =>
        Named("PERFREF_POSTGRES_BIN") ?? new(DebianPostgresDirectories().ToArray(), SearchPath: true);

    public static BinaryLocation Redis() =>
        Named("PERFREF_REDIS_BIN") ?? new(["/usr/bin", "/usr/local/bin"], SearchPath: true);

    /// <summary>Debian installs pgbouncer under /usr/sbin.</summary>
    public static BinaryLocation PgBouncer() =>
        Named("PERFREF_PGBOUNCER_BIN") ?? new(["/usr/sbin", "/usr/bin", "/usr/local/bin"], SearchPath: true);

    public static BinaryLocation SystemTools() => new(["/usr/bin", "/bin"], SearchPath: true);

    public string? Find(string fileName)
    {
        var path = SearchPath
            ? (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            : [];

        return Directories.Concat(path)
            .Select(directory => Path.Combine(directory, fileName))
            .FirstOrDefault(IsExecutable);
    }

    public string Require(string fileName, string installHint) =>
        Find(fileName) ?? throw new MissingServerBinaryException($"'{fileName}' was not found on this machine. {installHint}");

    private static BinaryLocation? Named(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } directory ? new([directory], SearchPath: false) : null;

    /// <summary>PostgreSQL's server binaries as Debian and Ubuntu lay them out, newest major version first.</summary>
    private static IEnumerable<string> DebianPostgresDirectories()
    {
        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot))
        {
            return [];
        }

        return Directory.EnumerateDirectories(debianRoot)
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, out var major) ? major : -1)
            .Where(major => major > 0)
            .OrderDescending()
            .Select(major => Path.Combine(debianRoot, major.ToString(), "bin"));
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows() ||
            (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}

public sealed class MissingServerBinaryException(string message) : InvalidOperationException(message);
