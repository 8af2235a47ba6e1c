using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Seeding;
using PerfReference.OrdersService.Infrastructure;
using PerfReference.Performance;
using PerfReference.Hosting.Processes;

[assembly: AssemblyFixture(typeof(OrdersDatabaseFixture))]

namespace PerfReference.ComponentTests.Infrastructure;

/// <summary>
/// The orders database as the migrations make it, with the tiny data set, on a scratch PostgreSQL
/// shared by every test of the run. Each database command a test sends is counted against the
/// <see cref="PerfRequest"/> it runs under, by the same counter the services use.
/// </summary>
public sealed class OrdersDatabaseFixture : IAsyncLifetime
{
    private readonly DatabaseRoundtripCounter _roundtrips = new();
    private ScratchPostgres? _server;

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await _roundtrips.StartAsync(ct);
        _server = await ScratchPostgres.StartAsync(ct);
        ConnectionString = await _server.CreateDatabaseAsync("ordersdb", ct);
        DataSource = NpgsqlDataSource.Create(ConnectionString);

        await using var db = NewContext();
        await db.Database.MigrateAsync(ct);
        await new OrdersSeeder(DataSource, TimeProvider.System).SeedAsync(SeedSize.Tiny, progress: null, ct);
    }

    /// <summary>A context configured as the services configure theirs (snake_case names, synchronous commands counted).</summary>
    public OrdersDbContext NewContext() => NewContext(ConnectionString);

    /// <summary>A context configured as <see cref="NewContext()"/>, with interceptors of a test's own (to see the commands it sends).</summary>
    public OrdersDbContext NewContext(params IInterceptor[] interceptors) => NewContext(ConnectionString, interceptors);

    /// <remarks>With the retrying execution strategy Aspire's AddNpgsqlDbContext turns on, which refuses a transaction the code opens itself.</remarks>
    public static OrdersDbContext NewContext(string connectionString, params IInterceptor[] interceptors) => new(new DbContextOptionsBuilder<OrdersDbContext>()
        .UseNpgsql(connectionString, npgsql => npgsql.EnableRetryOnFailure())
        .UseSnakeCaseNamingConvention()
        .AddInterceptors([BlockingCommandCounter.Instance, .. interceptors])
        .Options);

    /// <summary>Another database on the same server, migrated and empty: for a test that needs data of its own shape or size.</summary>
    public async Task<string> CreateMigratedDatabaseAsync(string name, CancellationToken ct)
    {
        var connectionString = await _server!.CreateDatabaseAsync(name, ct);
        await using var db = NewContext(connectionString);
        await db.Database.MigrateAsync(ct);
        return connectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
