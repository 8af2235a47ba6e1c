namespace PerfReference.Hosting.Processes;

/// <summary>
/// Finds server binaries (postgres, initdb, redis-server) on this machine: first in the directories
/// a distribution installs them to, then on PATH. A missing binary yields an error that names the
/// package to install, so a resource fails fast instead of hanging.
/// </summary>
public static class ServerBinaries
{
    public static string? Find(string fileName, IEnumerable<string> preferredDirectories)
    {
        var pathDirectories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

        return preferredDirectories.Concat(pathDirectories)
            .Select(directory => Path.Combine(directory, fileName))
            .FirstOrDefault(IsExecutable);
    }

    public static string Require(string fileName, IEnumerable<string> preferredDirectories, string installHint) =>
        Find(fileName, preferredDirectories)
        ?? throw new MissingServerBinaryException($"'{fileName}' was not found on this machine. {installHint}");

    /// <summary>PostgreSQL's server binaries as Debian and Ubuntu lay them out, newest major version first.</summary>
    public static IEnumerable<string> PostgresDirectories()
    {
        const string debianRoot = "/usr/lib/postgresql";
        var configured = Environment.GetEnvironmentVariable("PERFREF_POSTGRES_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            yield return configured;
        }

        if (!Directory.Exists(debianRoot))
        {
            yield break;
        }

        var versions = Directory.EnumerateDirectories(debianRoot)
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, out var major) ? major : -1)
            .Where(major => major > 0)
            .OrderDescending();

        foreach (var major in versions)
        {
            yield return Path.Combine(debianRoot, major.ToString(), "bin");
        }
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}

public sealed class MissingServerBinaryException(string message) : InvalidOperationException(message);
