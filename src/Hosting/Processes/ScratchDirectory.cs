using System.Net;
using System.Net.Sockets;

namespace PerfReference.Hosting.Processes;

/// <summary>Where a throw-away server keeps its files and on which port it listens.</summary>
public static class ScratchDirectory
{
    /// <summary>
    /// A fresh temp folder, world-traversable (not readable) because, when run as root, PostgreSQL
    /// runs as the postgres account and must reach its data directory.
    /// </summary>
    public static string Create(string purpose)
    {
        var directory = Directory.CreateTempSubdirectory($"perfref-{purpose}-");
        if (!OperatingSystem.IsWindows())
        {
            directory.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        }

        return directory.FullName;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
