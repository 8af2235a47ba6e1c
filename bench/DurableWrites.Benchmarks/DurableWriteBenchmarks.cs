using BenchmarkDotNet.Attributes;
using Npgsql;
using PerfReference.Hosting.Processes;
using StackExchange.Redis;

namespace PerfReference.DurableWrites.Benchmarks;

/// <summary>
/// One write of a grain's state, as each durable home would take it: a Redis SET (what the Orleans
/// Redis provider sends, less its version check), or a PostgreSQL upsert committed on its own (what
/// the Orleans ADO.NET provider's write amounts to, less its stored procedure). Each store runs as
/// its own throw-away server on this machine, so the disk and the loopback are the same for all.
/// </summary>
[Config(typeof(PercentilesConfig))]
public class DurableWriteBenchmarks
{
    /// <summary>A customer grain's state: a name, an e-mail, counters and its 64 most recent order ids.</summary>
    private static readonly byte[] State = [.. Enumerable.Range(0, 600).Select(i => (byte)(i * 31))];

    private ScratchRedis? _redis;
    private ConnectionMultiplexer? _multiplexer;
    private ScratchPostgres? _postgres;
    private NpgsqlDataSource? _database;
    private long _key;

    [Params("Redis, no persistence", "Redis, AOF everysec", "Redis, AOF always", "PostgreSQL, synchronous commit")]
    public string Store { get; set; } = "";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        if (Store.StartsWith("PostgreSQL", StringComparison.Ordinal))
        {
            _postgres = await ScratchPostgres.StartAsync(CancellationToken.None, durable: true);
            _database = NpgsqlDataSource.Create(_postgres.ConnectionString("postgres"));
            await using var create = _database.CreateCommand("CREATE TABLE grain_state (id bigint PRIMARY KEY, payload bytea NOT NULL, version int NOT NULL)");
            await create.ExecuteNonQueryAsync();
            return;
        }

        _redis = await ScratchRedis.StartAsync(Store switch
        {
            "Redis, AOF everysec" => "everysec",
            "Redis, AOF always" => "always",
            _ => null,
        }, CancellationToken.None);
        _multiplexer = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
    }

    /// <summary>One customer in a thousand written each time: the writes of a busy shop's grains.</summary>
    [Benchmark]
    public async Task WriteGrainState()
    {
        var id = Interlocked.Increment(ref _key) % 1_000;
        if (_database is not null)
        {
            await using var command = _database.CreateCommand("""
                INSERT INTO grain_state (id, payload, version) VALUES ($1, $2, 1)
                ON CONFLICT (id) DO UPDATE SET payload = excluded.payload, version = grain_state.version + 1
                """);
            command.Parameters.Add(new() { Value = id });
            command.Parameters.Add(new() { Value = State });
            await command.ExecuteNonQueryAsync();
            return;
        }

        await _multiplexer!.GetDatabase().StringSetAsync($"customer:{id}", State);
    }

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task CleanupAsync()
    {
        if (_multiplexer is not null)
        {
            await _multiplexer.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
