using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace PerfReference.TestSupport;

/// <summary>Runs a scenario through the AppHost's <c>loadlab</c> resource, as its dashboard commands do, and reads the result file.</summary>
public static class LabRuns
{
    public static async Task<HttpClient> LabClientAsync(this AppHostRun run, CancellationToken ct)
    {
        await run.App.ResourceNotifications.WaitForResourceHealthyAsync("loadlab", ct);
        return run.App.CreateHttpClient("loadlab", "http");
    }

    /// <summary>Waits until the lab has no run in progress; returns its last status (lastResult, lastError).</summary>
    /// <param name="startedAfter">
    /// When the run was asked for by someone else (a dashboard command passes a click on a moment
    /// later): wait for a run that started after this time to have ended.
    /// </param>
    public static async Task<JsonElement> WaitUntilIdleAsync(HttpClient lab, CancellationToken ct, DateTimeOffset? startedAfter = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var status = await lab.GetFromJsonAsync<JsonElement>("/runs/current", ct);
            var started = status.GetProperty("startedUtc") is { ValueKind: JsonValueKind.String } time ? time.GetDateTimeOffset() : (DateTimeOffset?)null;
            if (status.GetProperty("state").GetString() == "idle" && (startedAfter is null || started >= startedAfter))
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The run did not finish: {status}");
            await Task.Delay(500, ct);
        }
    }

    /// <summary>Whether a run that started after <paramref name="after"/> shows up (running or finished) within <paramref name="within"/>.</summary>
    public static async Task<bool> StartsWithinAsync(HttpClient lab, DateTimeOffset after, TimeSpan within, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var status = await lab.GetFromJsonAsync<JsonElement>("/runs/current", ct);
            if (status.GetProperty("startedUtc") is { ValueKind: JsonValueKind.String } time && time.GetDateTimeOffset() >= after)
            {
                return true;
            }

            await Task.Delay(250, ct);
        }

        return false;
    }

    /// <summary>Reads a finished run's result file and deletes it (tests must not leave results in the repository).</summary>
    public static async Task<JsonElement> TakeResultAsync(JsonElement status, CancellationToken ct) => (await TakeRunAsync(status, ct)).Result;

    /// <summary>
    /// Reads a finished run's result file and the traces it kept beside it (null when it kept none: no dashboard), and
    /// deletes both (tests must not leave results in the repository).
    /// </summary>
    public static async Task<TakenRun> TakeRunAsync(JsonElement status, CancellationToken ct)
    {
        Assert.Equal(JsonValueKind.Null, status.GetProperty("lastError").ValueKind);
        var path = status.GetProperty("lastResult").GetString()!;
        var tracesPath = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + TracesSuffix);
        try
        {
            using var result = JsonDocument.Parse(await File.ReadAllTextAsync(path, ct));
            return new TakenRun(result.RootElement.Clone(), File.Exists(tracesPath) ? await File.ReadAllTextAsync(tracesPath, ct) : null);
        }
        finally
        {
            File.Delete(path);
            File.Delete(tracesPath);
            DeleteIfEmpty(Path.GetDirectoryName(path)!); // results/<scenario>/, when this run created it
            DeleteIfEmpty(Path.GetDirectoryName(Path.GetDirectoryName(path))!); // and results/ itself
        }
    }

    /// <summary>The name a run's traces file has beside its result (<c>RunTraces.FileSuffix</c> of the lab).</summary>
    public const string TracesSuffix = ".traces.json";

    private static void DeleteIfEmpty(string directory)
    {
        if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            Directory.Delete(directory);
        }
    }
}

/// <summary>A finished run's result, and the text of the traces it kept beside it (null when none).</summary>
public sealed record TakenRun(JsonElement Result, string? Traces);

