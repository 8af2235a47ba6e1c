using Microsoft.EntityFrameworkCore;
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
    public OrdersDbContext NewContext() => new(new DbContextOptionsBuilder<OrdersDbContext>()
        .UseNpgsql(ConnectionString)
        .UseSnakeCaseNamingConvention()
        .AddInterceptors(BlockingCommandCounter.Instance)
        .Options);

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
