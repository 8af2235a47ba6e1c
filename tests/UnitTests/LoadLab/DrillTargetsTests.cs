using System.Diagnostics;
using PerfReference.LoadLab.Drills;
using PerfReference.LoadLab.Processes;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// A drill kills this checkout's processes and no other: a server by the port its topology connects to, matched as a
/// whole argument (PostgreSQL on 5432 is not the one on 54321), a service by the program it runs from this repository
/// (another clone's silo on the same machine is not ours). Decoys are real processes whose command lines a substring
/// search would have taken.
/// </summary>
public sealed class DrillTargetsTests : IDisposable
{
    private readonly List<Process> _started = [];

    [Fact]
    public async Task ADecoyServerOnAPortThatStartsWithOursIsNotTheTarget()
    {
        var port = Random.Shared.Next(2_000, 6_000);
        var decoy = await StartAsync("postgres", "-D", "/tmp/another-checkout/data", "-p", $"{port}1");
        var ours = await StartAsync("/usr/lib/postgresql/17/bin/postgres", "-D", "/tmp/this-checkout/data", "-p", $"{port}");

        Assert.Contains($"-p {port}", string.Join(' ', LocalProcesses.ReadCommandLine(decoy)!)); // what a substring search took for ours
        Assert.Equal([ours], DrillTargets.PostgresServer(port));
    }

    [Fact]
    public async Task AnotherClonesSiloIsNotTheTarget()
    {
        var root = RepositoryRoot.Find()!;
        var decoy = await StartAsync("/tmp/another-clone/src/CustomerGrains/bin/Release/net10.0/PerfReference.CustomerGrains");
        var ours = await StartAsync(Path.Combine(root, "src", "CustomerGrains", "bin", "Release", "net10.0", "PerfReference.CustomerGrains"));

        var silos = DrillTargets.Silos();

        Assert.Contains(ours, silos);
        Assert.DoesNotContain(decoy, silos);
    }

    [Theory]
    [InlineData(new[] { "/usr/lib/postgresql/17/bin/postgres", "-D", "/data", "-p", "5432" }, true)]
    [InlineData(new[] { "/usr/lib/postgresql/17/bin/postgres", "-D", "/data", "-p", "54321" }, false)]
    [InlineData(new[] { "postgres: postgres ordersdb 127.0.0.1(40312) idle" }, false)] // a backend, not the server
    [InlineData(new[] { "/usr/bin/pgbouncer", "-p", "5432" }, false)]
    public void APostgresServerIsTheProgramWithItsPortAsAWholeArgument(string[] arguments, bool target) =>
        Assert.Equal(target, DrillTargets.IsPostgresServer(new LocalProcess(1, arguments), 5432));

    [Theory]
    [InlineData(new[] { "redis-server 127.0.0.1:6379" }, true)] // the title Redis writes over its arguments
    [InlineData(new[] { "redis-server *:6379" }, true)]
    [InlineData(new[] { "/usr/bin/redis-server", "--port", "6379", "--bind", "127.0.0.1" }, true)]
    [InlineData(new[] { "redis-server 127.0.0.1:63790" }, false)]
    [InlineData(new[] { "redis-cli", "-p", "6379" }, false)]
    public void ARedisServerIsTheProgramWithItsPortAsAWholeWord(string[] arguments, bool target) =>
        Assert.Equal(target, DrillTargets.IsRedisServer(new LocalProcess(1, arguments), 6379));

    /// <summary>A process that sleeps with the command line given (its program first), once /proc shows it.</summary>
    private async Task<int> StartAsync(string program, params string[] arguments)
    {
        // bash replaces itself with a bash named as the program, which keeps the arguments and sleeps.
        var start = new ProcessStartInfo("/bin/bash") { ArgumentList = { "-c", "exec -a \"$0\" /bin/bash -c 'sleep 600; true' \"$@\"", program } };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        _started.Add(process);
        // Until its sleep runs: bash forks for it, and until the fork has become sleep it is a second process with the
        // program's command line (seen as a second target on a busy machine).
        for (var waited = 0; LocalProcesses.ReadCommandLine(process.Id) is not [var first, ..] || first != program || !SleepRunsUnder(process.Id); waited++)
        {
            Assert.True(waited < 100, $"{program} did not start");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return process.Id;
    }

    private static bool SleepRunsUnder(int id) =>
        File.ReadAllText($"/proc/{id}/task/{id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var child]
        && LocalProcesses.ReadCommandLine(int.Parse(child, System.Globalization.CultureInfo.InvariantCulture)) is ["sleep", ..];

    public void Dispose()
    {
        foreach (var process in _started)
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
        }
    }
}
