using PerfReference.AppHost;
using PerfReference.AppHost.Supervision;
using PerfReference.Hosting.Postgres;
using PerfReference.Hosting.Redis;
using PerfReference.Topology;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: real servers started from this machine's binaries (no container engine needed); when published
// for a cluster, Aspire's own PostgreSQL and Redis containers (DataStores).
// Everything long-running is started again when it dies on its own, as a cluster scheduler would (Supervision/).
// Redis keeps the cluster's membership, the grains' state and the payment provider's records: durable.
var (ordersDb, redis, localServers) = builder.AddDataStores();

// The orders database's schema and a tiny data set, applied before anything reads it.
var migrations = builder.AddProject<Projects.DatabaseMigrator>("migrations")
    .WithReference(ordersDb)
    .WaitFor(ordersDb);

// The full data set (100k customers, 10k products, 1M orders, ~5M lines) by binary COPY: start it from the dashboard.
builder.AddProject<Projects.DatabaseMigrator>("seed")
    .WithArgs("seed", "--size", "default")
    .WithReference(ordersDb)
    .WaitForCompletion(migrations)
    .WithExplicitStart();

// Operators (the load lab, the tests) change the payment provider's latency and faults with this key.
var paymentsAdminKey = builder.AddParameter("payments-admin-key",
    new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

// Orleans: Redis clustering, grain state in Redis (both survive a restart of Redis: see RedisDurability); a cluster id
// new with every start, a service id that stays (OrleansIds).
var orleans = builder.AddOrleans("cluster")
    .WithIdsForThisRun(builder)
    .WithClustering(new OrleansRedisProvider(redis))
    .WithGrainStorage("Default", new OrleansRedisProvider(redis));

var silos = builder.AddProject<Projects.CustomerGrains>("silo")
    .WithReference(orleans)
    .WithReference(ordersDb)
    .WaitFor(redis)
    .WaitForCompletion(migrations)
    .WithReplicas(2)
    .WithHttpHealthCheck(HealthEndpoints.Health)
    .WithRestartOnExit()
    .WithSettingsFromAppHost();

var payments = builder.AddProject<Projects.PaymentsGateway>("payments")
    .WithEnvironment("Provider__AdminKey", paymentsAdminKey)
    .WithReference(redis)
    .WaitFor(redis)
    .WithHttpHealthCheck(HealthEndpoints.Health, endpointName: "http")
    .WithRestartOnExit()
    .WithSettingsFromAppHost();

var orders = builder.AddProject<Projects.OrdersService>("orders")
    .WithHttpEndpoint(port: OrdersApiAddress.Port)
    .WithReference(orleans.AsClient())
    .WithReference(ordersDb)
    .WithReference(redis)
    .WithReference(payments.GetEndpoint("grpc"))
    // Warm-up before readiness (the fix of cache-warming): the service reports healthy once the
    // best sellers are in Redis and the recent customers' grains are active.
    .WithEnvironment("PerfReference__CacheWarming__WarmUpOnStart", "true")
    .WaitForCompletion(migrations)
    .WaitFor(silos)
    .WaitFor(payments)
    .WithHttpHealthCheck(HealthEndpoints.Health)
    .WithExternalHttpEndpoints()
    .WithRestartOnExit()
    .WithSettingsFromAppHost();

// Between the services and PostgreSQL: nothing but each service's own Npgsql pool, or PgBouncer in transaction
// pooling mode for many instances sharing one server (see DatabasePooler; catalog entry connection-pooling).
var pooler = builder.ChooseDatabasePooler() == DatabasePooler.PgBouncer && localServers is not null
    ? builder.AddPgBouncerFor(localServers.OrdersDb, orders, silos)
    : null;

// A realistic network (see NetworkLinks): every link to PostgreSQL, Redis and payments through a latency proxy (all of
// them in one process, network-links), the silos' own links (silo to silo, OrdersService to a gateway) in the same process, each replica
// asking for its own there (SiloNetworkLinks), and a client-side link in front of the orders API for load from outside (the load lab). The client's link has a
// profile of its own (a phone on a mobile network talks to a datacenter), by default the system's.
var networkProfile = builder.ChooseNetworkProfile();
var clientNetworkProfile = builder.ChooseClientNetworkProfile(networkProfile);
ReferenceExpression? viaOrdersLink = null;
if ((networkProfile != NetworkLinks.Loopback || clientNetworkProfile != NetworkLinks.Loopback) && localServers is not null)
{
    var ordersLink = builder.AddNetworkLink("orders-link", orders.GetEndpoint("http"), clientNetworkProfile, OrdersApiAddress.ClientLinkPort);
    viaOrdersLink = ReferenceExpression.Create($"http://127.0.0.1:{ordersLink.ListenPort}");
}

if (networkProfile != NetworkLinks.Loopback && localServers is (var postgres, var redisServer, _))
{
    // With PgBouncer, the link leads to it (and it to the server): the services' round trips cross the network once.
    var databaseLink = builder.AddNetworkLink("postgres-link", pooler?.Resource.PrimaryEndpoint ?? postgres.Resource.PrimaryEndpoint, networkProfile);
    var redisLink = builder.AddNetworkLink("cache-link", redisServer.Resource.PrimaryEndpoint, networkProfile);
    var paymentsLink = builder.AddNetworkLink("payments-link", payments.GetEndpoint("grpc"), networkProfile);
    var links = databaseLink.Process; // every standalone link runs in this one process

    var viaDatabaseLink = ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={databaseLink.ListenPort};Username={PostgresServerResource.UserName};Password={postgres.Resource.PasswordParameter};Database=ordersdb");
    var viaRedisLink = ReferenceExpression.Create($"127.0.0.1:{redisLink.ListenPort}");

    orders
        .WithEnvironment("ConnectionStrings__ordersdb", viaDatabaseLink)
        .WithEnvironment("ConnectionStrings__cache", viaRedisLink)
        .WithEnvironment("services__payments__grpc__0", ReferenceExpression.Create($"http://127.0.0.1:{paymentsLink.ListenPort}"))
        .WaitFor(links);
    silos
        .WithEnvironment("PerfReference__NetworkProfile", networkProfile) // the silo and gateway links, asked for by each replica (SiloNetworkLinks)
        .WithEnvironment(LinkControl.AddressVariable, databaseLink.ControlAddress())
        .WithEnvironment("ConnectionStrings__ordersdb", viaDatabaseLink)
        .WithEnvironment("ConnectionStrings__cache", viaRedisLink)
        .WaitFor(links);
}

// The lab (the variant switch, the naive default, the diagnostics endpoints) or a deployment's optimized code only.
builder.ApplyServiceMode(orders, silos, payments);

// The load lab, with a dashboard command per scenario and per fault drill (results land in the repository's results/).
builder.AddLoadLab(orders, networkProfile, clientNetworkProfile, viaOrdersLink)
    .WithDrills(ordersDb, redis, payments, paymentsAdminKey);

// Every service speaks plain HTTP on loopback, and these machines have no trusted development
// certificate: no TLS for any project, so no dashboard warning about a certificate nobody uses.
builder.ServeAllProjectsOverHttp();

// Traces, metrics and logs to the dashboard, or none at all (telemetry=off: to measure what they cost, see Telemetry).
builder.ApplyTelemetryChoice();

// Projects are told the stores' connection strings, not their parts: the same environment in run and publish mode.
builder.ReferenceDataStoresByConnectionStringOnly();

// The dashboard's telemetry database in memory, off the disk where PostgreSQL flushes its commits (DashboardData).
builder.KeepDashboardDataInMemory();

// Idle thread-pool threads sleep instead of spinning, the dashboard's too: on two cores the spin took PostgreSQL's turn (ThreadPoolSpinning).
builder.StopIdleThreadsSpinning();

builder.Build().Run();
