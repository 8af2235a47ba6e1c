using PerfReference.OrdersService.Apis;
using PerfReference.OrdersService.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapCustomersApi();
app.MapDiagnosticsApi();
app.MapDefaultEndpoints();

app.Run();
