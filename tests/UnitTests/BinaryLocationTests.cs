using PerfReference.Hosting.Processes;

namespace PerfReference.UnitTests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BinaryLocationTests
{
    [Fact]
    public void AnExecutableInANamedFolderIsFound()
    {
        var folder = Directory.CreateTempSubdirectory("perfref-bin-").FullName;
        try
        {
            var binary = Path.Combine(folder, "redis-server");
            File.WriteAllText(binary, "#!/bin/sh\n");
            File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserExecute);

            Assert.Equal(binary, new BinaryLocation([folder], SearchPath: false).Find("redis-server"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AFileThatIsNotExecutableDoesNotCount()
    {
        var folder = Directory.CreateTempSubdirectory("perfref-bin-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "postgres"), "");
            File.SetUnixFileMode(Path.Combine(folder, "postgres"), UnixFileMode.UserRead);

            Assert.Null(new BinaryLocation([folder], SearchPath: false).Find("postgres"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AMissingBinaryNamesWhatToInstall()
    {
        var error = Assert.Throws<MissingServerBinaryException>(() =>
            new BinaryLocation(["/nonexistent"], SearchPath: false).Require("redis-server", "Install it with: apt-get install redis-server"));

        Assert.Contains("'redis-server' was not found", error.Message);
        Assert.Contains("apt-get install redis-server", error.Message);
    }
}
