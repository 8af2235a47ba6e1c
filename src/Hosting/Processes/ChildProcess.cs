using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace PerfReference.Hosting.Processes;

/// <summary>Runs a short-lived tool (such as initdb) to completion, streaming its output to a resource's console log.</summary>
public static class ChildProcess
{
    public static async Task RunAsync(string command, IEnumerable<string> args, ILogger logger, CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) logger.LogInformation("{Line}", line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) logger.LogWarning("{Line}", line); };

        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{Path.GetFileName(command)} {string.Join(' ', startInfo.ArgumentList)}' exited with code {process.ExitCode}; its output is in the resource's console log.");
        }
    }
}
