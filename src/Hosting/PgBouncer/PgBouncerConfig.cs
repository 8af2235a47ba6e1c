using System.Globalization;
using System.Text;
using PerfReference.Hosting.Processes;

namespace PerfReference.Hosting.PgBouncer;

/// <summary>
/// A PgBouncer in transaction pooling mode in front of one PostgreSQL database: what it listens on, where it
/// connects, and how many server connections it may hold. Written as pgbouncer.ini and a userlist beside it, readable
/// only by the account PgBouncer runs as (it refuses to run as root).
/// </summary>
/// <remarks>
/// Transaction pooling: a client holds a server connection only for the length of a transaction, so a thousand
/// clients share <see cref="PoolSize"/> server processes. What a session would keep across transactions (session
/// SET, session advisory locks, protocol-level prepared statements before PgBouncer 1.21) does not survive: this
/// system's services use SET LOCAL and transaction-scoped locks only, and Npgsql does not prepare unless told to.
/// </remarks>
public sealed record PgBouncerConfig(
    int ListenPort, string Database, string ServerHost, int ServerPort, string ServerDatabase, string UserName, string Password)
{
    /// <summary>Server connections per database and user: a few per core of the server (more would queue inside it).</summary>
    public int PoolSize { get; init; } = 20;

    /// <summary>Client connections it accepts: far more than the server's max_connections, which is the point.</summary>
    public int MaxClientConnections { get; init; } = 2_000;

    /// <summary>Writes pgbouncer.ini and userlist.txt into <paramref name="directory"/> and returns the ini's path.</summary>
    public string WriteTo(string directory, ServiceAccount? account)
    {
        var userList = Path.Combine(directory, "userlist.txt");
        var ini = Path.Combine(directory, "pgbouncer.ini");
        // A plain password in the auth file lets PgBouncer run SCRAM with its clients and with the server alike.
        WritePrivate(userList, $"\"{Quote(UserName)}\" \"{Quote(Password)}\"\n", account);
        WritePrivate(ini, string.Create(CultureInfo.InvariantCulture,
            $"""
            [databases]
            {Database} = host={ServerHost} port={ServerPort} dbname={ServerDatabase}

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {ListenPort}
            unix_socket_dir =
            auth_type = scram-sha-256
            auth_file = {userList}
            pool_mode = transaction
            default_pool_size = {PoolSize}
            max_client_conn = {MaxClientConnections}
            ; Npgsql sends extra_float_digits at startup; PgBouncer does not track it, so it must be told to let it pass.
            ignore_startup_parameters = extra_float_digits
            ; Closed client connections leave nothing on the server in transaction mode: no reset query needed.
            server_reset_query =
            admin_users = {UserName}

            """), account);
        account?.Own(directory);
        return ini;
    }

    public string ConnectionString() =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={ListenPort};Username={UserName};Password={Password};Database={Database}");

    private static void WritePrivate(string path, string text, ServiceAccount? account)
    {
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        account?.Own(path);
    }

    private static string Quote(string value) => value.Replace("\"", "\"\"", StringComparison.Ordinal);
}
