using Microsoft.EntityFrameworkCore;
using PerfReference.DatabaseMigrator;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Seeding;

MigratorCommand command;
try
{
    command = MigratorCommand.Parse(args);
}
catch (UsageException usage)
{
    Console.Error.WriteLine(usage.Problem is null ? MigratorCommand.Usage : $"{usage.Problem}\n\n{MigratorCommand.Usage}");
    return usage.Problem is null ? 0 : 2;
}

// appsettings.json sits beside the program, wherever it is run from (the AppHost, or a shell at the repository root).
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = command.HostArgs,
    ContentRootPath = AppContext.BaseDirectory,
});

builder.AddServiceDefaults();
builder.AddNpgsqlDbContext<OrdersDbContext>("ordersdb",
    configureDbContextOptions: options => options.UseSnakeCaseNamingConvention());
builder.AddNpgsqlDataSource("ordersdb");
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(command);
builder.Services.AddSingleton<OrdersSeeder>();
builder.Services.AddHostedService<MigrationWorker>();

await builder.Build().RunAsync();
return Environment.ExitCode;
