using PerfReference.Hosting.Postgres;
using PerfReference.Hosting.Redis;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: real servers started from this machine's binaries (no container engine needed).
var postgres = builder.AddPostgresServer("postgres");
var ordersDb = postgres.AddDatabase("ordersdb");
var redis = builder.AddRedisServer("cache");

// The orders database's schema, applied before anything reads it.
var migrations = builder.AddProject<Projects.DatabaseMigrator>("migrations")
    .WithReference(ordersDb)
    .WaitFor(ordersDb);

// Orleans: Redis clustering, grain state in Redis.
var orleans = builder.AddOrleans("cluster")
    .WithClustering(redis)
    .WithGrainStorage("Default", redis);

var silos = builder.AddProject<Projects.CustomerGrains>("silo")
    .WithReference(orleans)
    .WithReference(ordersDb)
    .WaitFor(redis)
    .WaitForCompletion(migrations)
    .WithReplicas(2)
    .WithHttpHealthCheck("/health");

var payments = builder.AddProject<Projects.PaymentsGateway>("payments")
    .WithReference(redis)
    .WaitFor(redis)
    .WithHttpHealthCheck("/health", endpointName: "http");

builder.AddProject<Projects.OrdersService>("orders")
    .WithReference(orleans.AsClient())
    .WithReference(ordersDb)
    .WithReference(redis)
    .WithReference(payments.GetEndpoint("grpc"))
    .WaitForCompletion(migrations)
    .WaitFor(silos)
    .WaitFor(payments)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.Build().Run();
