using PerfReference.Topology;

namespace PerfReference.LoadLab.Results;

/// <summary>The repository's root: the nearest folder, upwards, that holds PerfReference.sln.</summary>
public static class RepositoryRoot
{
    public const string SolutionFile = RepositoryLayout.SolutionFile;

    public static string? Find(string? from = null)
    {
        foreach (var start in from is null ? [Environment.CurrentDirectory, AppContext.BaseDirectory] : new[] { from })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
                {
                    return directory.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>Where result files go: the folder given (an option, the serve configuration), or results/ in the repository.</summary>
    public static string Results(string? given) => Resolve(given, RepositoryLayout.Results);

    /// <summary>Where the logs go: the folder given, or docs/ in the repository.</summary>
    public static string Docs(string? given) => Resolve(given, RepositoryLayout.Docs);

    /// <summary>A path given on the command line, or the named path under the repository's root.</summary>
    public static string Resolve(string? given, string defaultRelative) =>
        given is not null
            ? Path.GetFullPath(given)
            : Find() is { } root
                ? Path.Combine(root, defaultRelative)
                : throw new LabInputException($"Cannot find the repository ({SolutionFile}) above {Environment.CurrentDirectory}; give the folder with an option.");

    /// <summary>The commit the measured code was built from ("unknown" outside a git checkout).</summary>
    public static string GitCommit(string? directory = null)
    {
        try
        {
            using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", "rev-parse --short HEAD")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = directory ?? Find() ?? Environment.CurrentDirectory,
            });
            if (git is null)
            {
                return "unknown";
            }

            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && output.Length > 0 ? output : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown"; // git is not installed
        }
    }
}
