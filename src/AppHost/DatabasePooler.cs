using PerfReference.Hosting.PgBouncer;

namespace PerfReference.AppHost;

/// <summary>
/// What stands between the services and PostgreSQL (the AppHost parameter <c>database-pooler</c>): nothing, each
/// service keeping its own Npgsql pool (<c>none</c>, the default), or PgBouncer in transaction pooling mode
/// (<c>pgbouncer</c>) — the answer once many service instances, each with a pool of its own, would need more server
/// connections than max_connections allows (catalog entry connection-pooling). Run mode only: in a cluster the
/// pooler is a deployment's choice.
/// </summary>
internal static class DatabasePooler
{
    public const string ParameterName = "database-pooler";
    public const string None = "none";
    public const string PgBouncer = "pgbouncer";
    public const string ResourceName = "pgbouncer";

    public static string ChooseDatabasePooler(this IDistributedApplicationBuilder builder) =>
        builder.AddChosenParameter(ParameterName, None, chosen => chosen is None or PgBouncer
            ? chosen
            : throw new InvalidOperationException($"The {ParameterName} parameter is '{chosen}'; use {None} or {PgBouncer}."));

    /// <summary>
    /// PgBouncer in front of the orders database, and the services that query it (orders, the silos) pointed at it.
    /// The migrations still go straight to the server: schema changes are a session's work, not a pooled transaction's.
    /// </summary>
    public static IResourceBuilder<PgBouncerResource> AddPgBouncerFor(
        this IDistributedApplicationBuilder builder, IResourceBuilder<PostgresDatabaseResource> ordersDb, params IResourceBuilder<ProjectResource>[] clients)
    {
        var pooler = builder.AddPgBouncer(ResourceName, ordersDb);
        foreach (var client in clients)
        {
            client.WithEnvironment($"ConnectionStrings__{ordersDb.Resource.Name}", pooler.Resource.ConnectionStringExpression).WaitFor(pooler);
        }

        return pooler;
    }
}
