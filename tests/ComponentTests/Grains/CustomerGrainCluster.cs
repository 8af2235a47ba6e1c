using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;
using Orleans.TestingHost;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.CustomerGrains.Customers;
using PerfReference.CustomerGrains.Hosting;
using PerfReference.OrdersService.Infrastructure;

namespace PerfReference.ComponentTests.Grains;

/// <summary>
/// One in-process silo hosting the customer grains as the service does (grain storage "Default", the orders
/// database for a customer's first state, each call timed for its caller), with a grain storage of the test's own that
/// it can make fail or hold, and a client that counts its calls as OrdersService does (<see cref="GrainCallCounter"/>).
/// </summary>
public sealed class CustomerGrainCluster(OrdersDatabaseFixture database) : IAsyncLifetime
{
    private const string OrdersDbKey = "ConnectionStrings:ordersdb";

    private TestCluster? _cluster;

    public IGrainFactory Grains => _cluster!.GrainFactory;

    public FaultyGrainStorage Storage =>
        _cluster?.Primary is InProcessSiloHandle { SiloHost: { } silo } && silo.Services.GetRequiredKeyedService<IGrainStorage>("Default") is FaultyGrainStorage storage
            ? storage
            : throw new InvalidOperationException("The silo is not up, or its Default grain storage is not the test's.");

    public async ValueTask InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties[OrdersDbKey] = database.ConnectionString;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        // Orleans' activity propagation first, as the silo's configuration (Orleans:EnableDistributedTracing) adds it first.
        public void Configure(ISiloBuilder silo) => silo.AddActivityPropagation().AddGrainCallTiming().Services
            .AddSingleton(services => NpgsqlDataSource.Create(services.GetRequiredService<IConfiguration>()[OrdersDbKey]!))
            .AddSingleton<CustomerDirectory>()
            .AddKeyedSingleton<IGrainStorage, FaultyGrainStorage>("Default");
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client) =>
            client.AddActivityPropagation().AddOutgoingGrainCallFilter<GrainCallCounter>();
    }
}

/// <summary>
/// Grain storage in memory that keeps a copy of what was written (as a store does: the activation's objects are not
/// the stored ones), counts reads, and holds or fails the next write of a grain when told to.
/// </summary>
public sealed class FaultyGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<string, string> _stored = new();
    private readonly ConcurrentDictionary<long, int> _reads = new();
    private readonly ConcurrentDictionary<long, bool> _failNextWrite = new();
    private readonly ConcurrentDictionary<long, HeldWrite> _holdNextWrite = new();

    public void FailNextWrite(long customerId) => _failNextWrite[customerId] = true;

    /// <summary>The next write of the customer's grain waits, once it has reached storage, until the hold is released (or disposed).</summary>
    public HeldWrite HoldNextWrite(long customerId) => _holdNextWrite[customerId] = new HeldWrite();

    public int Reads(long customerId) => _reads.GetValueOrDefault(customerId);

    /// <summary>A customer's order count and loyalty as stored.</summary>
    public (int OrderCount, int LoyaltyPoints) Stored(long customerId)
    {
        var state = JsonSerializer.Deserialize<CustomerState>(_stored[Key(customerId)])!;
        return (state.OrderCount, state.LoyaltyPoints);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _reads.AddOrUpdate(CustomerId(grainId), 1, (_, reads) => reads + 1);
        if (_stored.TryGetValue(Key(CustomerId(grainId)), out var json))
        {
            grainState.State = JsonSerializer.Deserialize<T>(json)!;
            grainState.RecordExists = true;
            grainState.ETag = json.GetHashCode(StringComparison.Ordinal).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Task.CompletedTask;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_holdNextWrite.TryRemove(CustomerId(grainId), out var hold))
        {
            await hold.HoldAsync();
        }

        if (_failNextWrite.TryRemove(CustomerId(grainId), out _))
        {
            throw new InvalidOperationException("The test's grain storage refuses this write (as Redis restarting would).");
        }

        var json = JsonSerializer.Serialize(grainState.State);
        _stored[Key(CustomerId(grainId))] = json;
        grainState.RecordExists = true;
        grainState.ETag = json.GetHashCode(StringComparison.Ordinal).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _stored.TryRemove(Key(CustomerId(grainId)), out _);
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static long CustomerId(GrainId grainId) => grainId.GetIntegerKey();

    private static string Key(long customerId) => $"customer/{customerId}";
}

/// <summary>A grain's storage write held in progress: it has reached storage (<see cref="Reached"/>) and waits for <see cref="Release"/>.</summary>
public sealed class HeldWrite : IDisposable
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the write is in storage's hands, its grain awaiting it.</summary>
    public Task Reached => _reached.Task;

    public void Release() => _released.TrySetResult();

    /// <summary>Releases a write the test left held (a failed assertion), so the silo can stop.</summary>
    public void Dispose() => Release();

    internal Task HoldAsync()
    {
        _reached.TrySetResult();
        return _released.Task;
    }
}
