namespace PerfReference.TestSupport;

/// <summary>
/// A fresh state directory for one AppHost run. World-traversable (not readable) because, when the
/// tests run as root, PostgreSQL runs as the postgres account and must reach its data directory.
/// </summary>
public static class TestStateDirectory
{
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
}
