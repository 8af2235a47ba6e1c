using Grpc.Net.Client;
using Npgsql;
using Aspire.Hosting.Testing;
using StackExchange.Redis;

namespace PerfReference.IntegrationTests.Infrastructure;

/// <summary>
/// The whole topology, started once and shared by every test in the "Topology" collection, so the
/// suite pays for one start on a 2-core machine.
/// </summary>
public sealed class TopologyFixture : IAsyncLifetime
{
    private AppHostRun? _run;
    private ConnectionMultiplexer? _redis;

    public AppHostRun Run => _run ?? throw new InvalidOperationException("The topology has not started.");

    public HttpClient Orders { get; private set; } = null!;

    public IDatabase Redis => _redis!.GetDatabase();

    public IServer RedisServer => _redis!.GetServers()[0];

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var stateDirectory = TestStateDirectory.Create("topology");
        _run = await AppHostRun.StartAsync(stateDirectory, ct);
        await _run.WaitUntilUpAsync(TimeSpan.FromMinutes(3), ct);

        Orders = _run.App.CreateHttpClient("orders");
        _redis = await ConnectionMultiplexer.ConnectAsync(await _run.ConnectionStringAsync("cache", ct) ?? throw new InvalidOperationException("No Redis connection string."));
    }

    public async Task<NpgsqlConnection> OpenOrdersDbAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(await Run.ConnectionStringAsync("ordersdb", ct));
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>A channel to the payment provider's HTTP/2 gRPC endpoint.</summary>
    public GrpcChannel PaymentsChannel() => GrpcChannel.ForAddress(Run.App.GetEndpoint("payments", "grpc"));

    public async ValueTask DisposeAsync()
    {
        Orders?.Dispose();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_run is not null)
        {
            await _run.DisposeAsync();
            Directory.Delete(_run.StateDirectory, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TopologyCollection : ICollectionFixture<TopologyFixture>
{
    public const string Name = "Topology";
}
