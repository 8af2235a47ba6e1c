using PerfReference.CustomerGrains.Customers;
using PerfReference.CustomerGrains.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddKeyedRedisClient("cache");      // Orleans clustering and grain storage (configured by the AppHost)
builder.AddNpgsqlDataSource("ordersdb");   // where a customer's state starts from
builder.Services.AddSingleton<CustomerDirectory>();
builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("orleans-silo");
builder.UseOrleans(silo => silo
    .UseKubernetesHostingOrLoopback()                // advertise loopback here, the pod inside Kubernetes
    .AddGrainCallTiming()                            // how long each call waited in the silo and ran, back to its caller
    .DetectsSiloFailuresPromptly()                   // a silo that stops answering is declared dead in seconds, not fifteen
    .BehindNetworkLinks(builder.Configuration));     // under a network profile, silo and gateway links pay it too

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
