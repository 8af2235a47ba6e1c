using PerfReference.OrdersService.Apis;
using PerfReference.OrdersService.Extensions;
using PerfReference.OrdersService.Infrastructure;
using PerfReference.Performance;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPerfSwitch();
builder.AddApplicationServices();
builder.AddResponseCompressionVariant();
builder.AddAdmissionControl();
builder.AddReadinessGate();

var app = builder.Build();

app.UseExceptionHandler();
app.UseReadinessGate();    // until its pools are up and its caches warm: 503 with Retry-After, as a load balancer would send it nothing
app.UseAdmissionControl(); // past what the process serves: 503 with Retry-After at once, not a queue
app.UseStatusCodePages();
app.UsePerfSwitch();
app.UseResponseCompressionVariant();

if (app.Environment.IsDevelopment())
{
    app.MapOpenApi();
    app.MapScalarApiReference();
}

app.MapOrdersApi();
app.MapCustomersApi();
app.MapProductsApi();
app.MapOperationsApi();
if (app.IsLab()) // the lab's diagnostics (full collections, cold starts, runtime samples) are no deployment's: 404 there
{
    app.MapDiagnosticsApi();
    app.MapRuntimeApi();
}

app.MapDefaultEndpoints();

app.Run();
