using Aspire.Hosting.ApplicationModel;
using PerfReference.Hosting.Postgres;

namespace PerfReference.Hosting.PgBouncer;

/// <summary>
/// PgBouncer from the machine's own binary, in front of one database of a <see cref="PostgresServerResource"/>.
/// Referencing it gives a project <c>ConnectionStrings__{name}</c> for that database through the pooler; the same
/// user and password as the server's.
/// </summary>
public sealed class PgBouncerResource(string name, string command, string stateDirectory, PostgresDatabaseResource database, int port)
    : ExecutableResource(name, command, workingDirectory: stateDirectory), IResourceWithConnectionString, IResourceWithWaitSupport
{
    internal const string PrimaryEndpointName = "tcp";

    public string StateDirectory { get; } = stateDirectory;

    public PostgresDatabaseResource Database { get; } = database;

    /// <summary>Chosen when the app model is built: the port goes into pgbouncer.ini, which has no command-line option for it.</summary>
    public int Port { get; } = port;

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={PostgresServerResource.UserName};Password={Database.Parent.PasswordParameter};Database={Database.DatabaseName}");
}
