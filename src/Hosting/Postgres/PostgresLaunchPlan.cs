using Microsoft.Extensions.Logging;
using PerfReference.Hosting.Processes;

namespace PerfReference.Hosting.Postgres;

/// <summary>
/// How the PostgreSQL server is started on this machine: which binaries, under which account, and
/// the one-time <c>initdb</c> of its cluster. Problems found while resolving (a missing binary, root
/// without a service account) are kept and reported when the resource starts, so the AppHost itself
/// still comes up and the dashboard shows the resource as failed with the reason.
/// </summary>
internal sealed class PostgresLaunchPlan
{
    /// <summary>Server settings passed as <c>-c</c> options: loopback only, no Unix socket (its default folder needs root).</summary>
    public static readonly string[] ServerSettings =
    [
        "listen_addresses=localhost",
        "unix_socket_directories=",
        "max_connections=300",
    ];

    private readonly string _stateDirectory;
    private readonly string? _initdb;
    private readonly ServiceAccount? _account;
    private readonly string? _problem;

    private PostgresLaunchPlan(string stateDirectory, string command, IReadOnlyList<string> prefix, string? initdb, ServiceAccount? account, string? problem)
    {
        _stateDirectory = stateDirectory;
        Command = command;
        Prefix = prefix;
        _initdb = initdb;
        _account = account;
        _problem = problem;
    }

    /// <summary>The executable Aspire starts: the server itself, or <c>setpriv</c>, which execs it.</summary>
    public string Command { get; }

    /// <summary>Arguments before the server's own (the privilege drop and the server's path).</summary>
    public IReadOnlyList<string> Prefix { get; }

    public static PostgresLaunchPlan Resolve(string stateDirectory, string installHint)
    {
        var location = BinaryLocation.Postgres();
        var postgres = location.Find("postgres");
        var initdb = location.Find("initdb");
        if (postgres is null || initdb is null)
        {
            var missing = postgres is null ? "postgres" : "initdb";
            return new(stateDirectory, "postgres", [], null, null, $"'{missing}' was not found on this machine. {installHint}");
        }

        try
        {
            if (ServiceAccount.ForServers() is not { } account)
            {
                return new(stateDirectory, postgres, [], initdb, null, null);
            }

            var (command, args) = account.Wrap(postgres, []);
            return new(stateDirectory, command, args, initdb, account, null);
        }
        catch (InvalidOperationException ex)
        {
            return new(stateDirectory, postgres, [], initdb, null, ex.Message);
        }
    }

    /// <summary>Fails with the resolution problem, or creates the cluster if this is its first start.</summary>
    public async Task PrepareClusterAsync(PostgresServerResource server, ILogger logger, CancellationToken ct)
    {
        if (_problem is not null)
        {
            logger.LogError("{Problem}", _problem);
            throw new MissingServerBinaryException(_problem);
        }

        _account?.Own(_stateDirectory);
        if (File.Exists(Path.Combine(server.DataDirectory, "PG_VERSION")))
        {
            logger.LogInformation("Reusing the PostgreSQL cluster in {DataDirectory}", server.DataDirectory);
            return;
        }

        logger.LogInformation("Initialising a new PostgreSQL cluster in {DataDirectory}", server.DataDirectory);
        var passwordFile = Path.Combine(_stateDirectory, ".initdb-password");
        await File.WriteAllTextAsync(passwordFile, await server.PasswordParameter.GetValueAsync(ct), ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        _account?.Own(passwordFile);

        try
        {
            string[] initdbArgs =
            [
                "-D", server.DataDirectory,
                "-U", PostgresServerResource.UserName,
                "--pwfile", passwordFile,
                "--auth-host=scram-sha-256",
                "--auth-local=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ];
            var (command, args) = _account is null ? (_initdb!, initdbArgs) : _account.Wrap(_initdb!, initdbArgs);
            await ChildProcess.RunAsync(command, args, logger, ct);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }
}
