using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PerfReference.LoadLab.Cli;
using Spectre.Console;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// A run whose output is not a terminal (a log file, CI) says how it goes in plain lines, a few seconds apart, and ends
/// with its summary: no live table redrawn into the file.
/// </summary>
public sealed class PlainProgressTests : IAsyncLifetime
{
    private readonly string _results = Directory.CreateTempSubdirectory("plain-progress-").FullName;
    private WebApplication? _app;

    public async ValueTask InitializeAsync() =>
        _app = await LoopbackServer.StartAsync(app => app.MapGet("/api/customers/profiles", () => Results.Text("[]")));

    [Fact]
    public async Task ARunIntoAFileWritesPlainProgressLinesAndItsSummary()
    {
        var (exitCode, output) = await FileConsole.RunAsync(
            ["run", "n-plus-one-grains", "--base-url", LoopbackServer.BaseUrl(_app!).ToString(), "--rate", "10", "--duration", "6s", "--warmup", "0s", "--results", _results],
            width: 200);

        var lines = output.Split('\n');
        Assert.Equal(0, exitCode);
        Assert.Contains(lines, line => line.StartsWith("[5 s] n-plus-one-grains: ", StringComparison.Ordinal) && line.Contains("naive ", StringComparison.Ordinal));
        Assert.InRange(lines.Count(line => line.StartsWith('[')), 1, 2); // every 5 s of a 6 s run
        Assert.Contains(lines, line => line.Contains("p99 ms", StringComparison.Ordinal)); // the summary table
        Assert.DoesNotContain('\u001b', output); // no cursor movement, no colour
    }

    [Fact]
    public async Task NothingIsSaidBeforeThereIsSomethingToSayNorAfterTheWorkEnds()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(output) });
        var work = Task.Delay(TimeSpan.FromMilliseconds(350), TestContext.Current.CancellationToken);
        var said = 0;

        await PlainProgress.WriteAsync(console, work, () => ++said > 1 ? "going" : null, TimeSpan.FromMilliseconds(100));

        Assert.True(work.IsCompleted);
        Assert.InRange(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, 1, 3);
        Assert.All(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.EndsWith("going", line.TrimEnd()));
    }

    public async ValueTask DisposeAsync()
    {
        await _app!.DisposeAsync();
        Directory.Delete(_results, recursive: true);
    }
}
