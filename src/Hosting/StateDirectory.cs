using System.Security.Cryptography;
using System.Text;
using Aspire.Hosting;
using Microsoft.Extensions.Configuration;
using PerfReference.Hosting.Processes;

namespace PerfReference.Hosting;

/// <summary>
/// Where executable-backed resources keep their data between runs: outside the source tree, one
/// folder per AppHost checkout, so two clones never share a database by accident.
/// Override with the configuration key <c>PerfReference:StateDirectory</c>
/// (environment variable <c>PerfReference__StateDirectory</c>).
/// </summary>
public static class StateDirectory
{
    public const string ConfigurationKey = "PerfReference:StateDirectory";

    public static string For(IDistributedApplicationBuilder builder, string resourceName)
    {
        var root = builder.Configuration[ConfigurationKey] is { Length: > 0 } configured
            ? configured
            : DefaultRoot(builder.AppHostDirectory);

        var directory = Path.Combine(Path.GetFullPath(root), resourceName);
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static string DefaultRoot(string appHostDirectory)
    {
        // Servers run as an unprivileged account when the AppHost is root, and that account cannot
        // enter /root, so root's state lives under /var/lib.
        var baseDirectory = ServiceAccount.CurrentUserIsRoot
            ? "/var/lib/perfreference"
            : Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg
                ? Path.Combine(xdg, "perfreference")
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state", "perfreference");

        var checkout = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(appHostDirectory)))[..12];
        return Path.Combine(baseDirectory, checkout);
    }
}
