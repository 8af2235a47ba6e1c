using Npgsql;

namespace PerfReference.OrdersService.Database;

/// <summary>
/// The orders database for the code that writes its own SQL (EF Core keeps its own pool, with Npgsql's defaults):
/// a pooled <see cref="NpgsqlDataSource"/> with the pool settings of <see cref="ConnectionPoolOptions"/>, and — for the
/// naive side of the catalog entry connection-pooling only — an unpooled one, on which every open is a new server
/// connection: TCP, the startup packet, SCRAM-SHA-256 authentication and a forked server process.
/// </summary>
public static class DatabaseExtensions
{
    /// <summary>The key of the unpooled data source.</summary>
    public const string Unpooled = "ordersdb-unpooled";

    public static IHostApplicationBuilder AddOrdersDataSources(this IHostApplicationBuilder builder)
    {
        var pool = ConnectionPoolOptions.From(builder.Configuration);
        builder.AddNpgsqlDataSource("ordersdb", configureDataSourceBuilder: dataSource => pool.ApplyTo(dataSource.ConnectionStringBuilder));

        builder.Services.AddKeyedSingleton(Unpooled, (services, _) =>
        {
            var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString("ordersdb")
                ?? throw new InvalidOperationException("ConnectionStrings:ordersdb is not set.");
            var unpooled = new NpgsqlDataSourceBuilder(connectionString) { Name = Unpooled };
            unpooled.ConnectionStringBuilder.Pooling = false;
            return unpooled.Build();
        });
        return builder;
    }
}
