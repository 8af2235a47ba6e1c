using PerfReference.CustomerGrains.Customers;
using PerfReference.CustomerGrains.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddKeyedRedisClient("cache");      // Orleans clustering and grain storage (configured by the AppHost)
builder.AddNpgsqlDataSource("ordersdb");   // where a customer's state starts from
builder.Services.AddSingleton<CustomerDirectory>();
builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("orleans-silo");
builder.UseOrleans(silo => silo
    .AdvertiseLoopback()
    .AddIncomingGrainCallFilter<PerfGrainCallFilter>());

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
