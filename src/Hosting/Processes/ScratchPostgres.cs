using System.Diagnostics;
using Npgsql;
namespace PerfReference.Hosting.Processes;

/// <summary>
/// A throw-away PostgreSQL server, from the machine's binaries as the AppHost runs them (as the
/// postgres account when run as root): a cluster made by <c>initdb</c> in a temp folder, on a free
/// loopback port, trust authentication. For component tests that need real SQL but not the whole
/// topology (with <c>fsync</c> off, the default) and for benchmarks of a durable write (with it on);
/// started in about two seconds, gone when disposed.
/// </summary>
public sealed class ScratchPostgres : IAsyncDisposable
{
    private readonly Process _server;
    private readonly string _directory;

    private ScratchPostgres(Process server, string directory, int port)
    {
        _server = server;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database }.ConnectionString;

    /// <param name="durable">Commits flushed to disk as a production server flushes them (fsync on), or not (tests: faster).</param>
    /// <param name="settings">More server settings, as name=value (for example max_connections=10).</param>
    public static async Task<ScratchPostgres> StartAsync(CancellationToken ct, bool durable = false, IReadOnlyList<string>? settings = null)
    {
        const string hint = "Install PostgreSQL's server binaries (scripts/prerequisites.sh does).";
        var binaries = BinaryLocation.Postgres();
        var postgres = binaries.Require("postgres", hint);
        var initdb = binaries.Require("initdb", hint);
        var account = ServiceAccount.ForServers();

        var directory = ScratchDirectory.Create("scratch-postgres");
        var data = Path.Combine(directory, "data");
        account?.Own(directory);
        await RunAsync(Command(account, initdb, ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]), ct);

        var port = ScratchDirectory.FreePort();
        var server = Process.Start(Command(account, postgres,
            ["-D", data, "-p", port.ToString(), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", $"fsync={(durable ? "on" : "off")}",
             .. (settings ?? []).SelectMany(setting => new[] { "-c", setting })]))!;
        // Its log is drained and dropped: a full pipe would stall the server.
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var scratch = new ScratchPostgres(server, directory, port);
        await scratch.WaitUntilAcceptingAsync(ct);
        return scratch;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(ct);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync(ct);
        return ConnectionString(name);
    }

    private async Task WaitUntilAcceptingAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
                await connection.OpenAsync(ct);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline && !_server.HasExited)
            {
                await Task.Delay(100, ct);
            }
        }
    }

    private static ProcessStartInfo Command(ServiceAccount? account, string executable, string[] args)
    {
        var (command, arguments) = account is null ? (executable, args) : account.Wrap(executable, args);
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static async Task RunAsync(ProcessStartInfo start, CancellationToken ct)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {await errors}{await output}");
        }
    }


    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (!_server.HasExited)
        {
            _server.Kill(entireProcessTree: true); // SIGKILL: a scratch cluster has nothing worth a clean shutdown
            await _server.WaitForExitAsync();
        }

        _server.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
