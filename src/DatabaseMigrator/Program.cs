using Microsoft.EntityFrameworkCore;
using PerfReference.DatabaseMigrator;
using PerfReference.OrdersDatabase;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDbContext<OrdersDbContext>("ordersdb",
    configureDbContextOptions: options => options.UseSnakeCaseNamingConvention());
builder.Services.AddHostedService<MigrationWorker>();

builder.Build().Run();
