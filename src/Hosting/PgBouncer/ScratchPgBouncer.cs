using System.Diagnostics;
using Npgsql;
using PerfReference.Hosting.Processes;

namespace PerfReference.Hosting.PgBouncer;

/// <summary>
/// A throw-away PgBouncer in transaction pooling mode in front of a <see cref="ScratchPostgres"/> database, configured
/// as the AppHost's (<see cref="PgBouncerConfig"/>): for tests of what pooling in front of the server changes.
/// </summary>
public sealed class ScratchPgBouncer : IAsyncDisposable
{
    /// <summary>What clients authenticate to PgBouncer with (the scratch server itself trusts everyone).</summary>
    public const string Password = "scratch-pgbouncer";

    private readonly Process _process;
    private readonly string _directory;

    private ScratchPgBouncer(Process process, string directory, PgBouncerConfig config)
    {
        _process = process;
        _directory = directory;
        Config = config;
    }

    public PgBouncerConfig Config { get; }

    public string ConnectionString => Config.ConnectionString();

    public static async Task<ScratchPgBouncer> StartAsync(ScratchPostgres server, string database, int poolSize, CancellationToken ct)
    {
        var pgbouncer = BinaryLocation.PgBouncer().Require("pgbouncer", "Install it with: apt-get install pgbouncer (scripts/prerequisites.sh does).");
        var account = ServiceAccount.ForServers();
        var directory = ScratchDirectory.Create("scratch-pgbouncer");
        var config = new PgBouncerConfig(ScratchDirectory.FreePort(), database, "127.0.0.1", server.Port, database, "postgres", Password) { PoolSize = poolSize };
        var ini = config.WriteTo(directory, account);

        var (command, args) = account is null ? (pgbouncer, (IReadOnlyList<string>)[ini]) : account.Wrap(pgbouncer, [ini]);
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var scratch = new ScratchPgBouncer(process, directory, config);
        await scratch.WaitUntilAcceptingAsync(ct);
        return scratch;
    }

    private async Task WaitUntilAcceptingAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
                await connection.OpenAsync(ct);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100, ct);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
