using System.Net.Http.Json;
using PerfReference.Hosting.Processes;
using Aspire.Hosting.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;
using PerfReference.Payments.V1;
using StackExchange.Redis;

namespace PerfReference.IntegrationTests.Infrastructure;

/// <summary>
/// The whole topology, started once and shared by every test in the "Topology" collection, so the
/// suite pays for one start on a 2-core machine. Tests that change shared state (the payment
/// provider's behaviour, silo restarts) put it back before they end.
/// </summary>
public sealed class TopologyFixture : IAsyncLifetime
{
    /// <summary>The provider's behaviour as configured: the seed's 300 ms for a payment, 200 ms for a look-up, no faults.</summary>
    public static readonly ProviderBehaviour DefaultPaymentsBehaviour = new() { LatencyMs = 300, ReadLatencyMs = 200 };

    private AppHostRun? _run;
    private ConnectionMultiplexer? _redis;
    private NpgsqlDataSource? _ordersDb;
    private GrpcChannel? _payments;
    private Metadata _paymentsAdminHeaders = [];

    public AppHostRun Run => _run ?? throw new InvalidOperationException("The topology has not started.");

    public HttpClient Orders { get; private set; } = null!;

    public IDatabase Redis => _redis!.GetDatabase();

    public IServer RedisServer => _redis!.GetServers()[0];

    public NpgsqlDataSource OrdersDb => _ordersDb!;

    public PaymentProvider.PaymentProviderClient Payments => new(_payments!);

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var stateDirectory = ScratchDirectory.Create("topology");
        // The reconciler releases orphaned authorisations after a short grace here, so a test can watch it happen.
        _run = await AppHostRun.StartAsync(stateDirectory, ct,
            "ServiceSettings:orders:Payments:Reconciliation:Grace=00:00:05", "ServiceSettings:orders:Payments:Reconciliation:Interval=00:00:01");
        await _run.WaitUntilUpAsync(TimeSpan.FromMinutes(3), ct);

        Orders = _run.App.CreateHttpClient("orders");
        Orders.Timeout = TimeSpan.FromMinutes(2);
        _redis = await ConnectionMultiplexer.ConnectAsync(await _run.ConnectionStringAsync("cache", ct) ?? throw new InvalidOperationException("No Redis connection string."));
        _ordersDb = NpgsqlDataSource.Create(await _run.ConnectionStringAsync("ordersdb", ct) ?? throw new InvalidOperationException("No ordersdb connection string."));
        _payments = GrpcChannel.ForAddress(_run.App.GetEndpoint("payments", "grpc"));
        _paymentsAdminHeaders = await PaymentsAdminKey.HeadersAsync(_run, ct);
    }

    public async Task<NpgsqlConnection> OpenOrdersDbAsync(CancellationToken ct) => await OrdersDb.OpenConnectionAsync(ct);

    public async Task<long> ScalarAsync(string sql, CancellationToken ct, params object[] parameters)
    {
        await using var command = OrdersDb.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new() { Value = parameter });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }

    /// <summary>The first column of every row of a query, as ids.</summary>
    public async Task<IReadOnlyList<long>> ListAsync(string sql, CancellationToken ct)
    {
        await using var command = OrdersDb.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var values = new List<long>();
        while (await reader.ReadAsync(ct))
        {
            values.Add(Convert.ToInt64(reader.GetValue(0)));
        }

        return values;
    }

    /// <summary>Changes the payment provider's behaviour (latency, faults, outage) through its admin service; returns the behaviour now in force.</summary>
    public async Task<ProviderBehaviour> SetPaymentsBehaviourAsync(ProviderBehaviour behaviour, CancellationToken ct)
    {
        var admin = new PaymentProviderAdmin.PaymentProviderAdminClient(_payments!);
        return await admin.SetBehaviourAsync(behaviour, _paymentsAdminHeaders, cancellationToken: ct);
    }

    public Task ResetPaymentsBehaviourAsync() => SetPaymentsBehaviourAsync(DefaultPaymentsBehaviour, CancellationToken.None);

    /// <summary>
    /// Waits until the orders service's payments circuit is closed. Faults a test injects open it
    /// (the reconciler's calls, once a second here, count as much as the checkouts'), and an open
    /// circuit refuses the next test's calls for its break; the reconciler's next successful call
    /// after the break closes it, which also clears the breaker's record of failures.
    /// </summary>
    public async Task WaitUntilPaymentsCircuitClosedAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        for (var diagnostics = await PaymentsDiagnosticsAsync(ct); diagnostics is not { Circuit: "closed", CircuitState: 0 }; diagnostics = await PaymentsDiagnosticsAsync(ct))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the payments circuit did not close within 2 minutes (it is {diagnostics.Circuit})");
            await Task.Delay(250, ct);
        }
    }

    public async Task<PaymentsDiagnostics> PaymentsDiagnosticsAsync(CancellationToken ct) =>
        (await Orders.GetFromJsonAsync<PaymentsDiagnostics>("/api/diagnostics/payments", Checkouts.Json, ct))!;

    public PaymentProviderAdmin.PaymentProviderAdminClient PaymentsAdmin => new(_payments!);

    public async ValueTask DisposeAsync()
    {
        Orders?.Dispose();
        _payments?.Dispose();
        if (_ordersDb is not null)
        {
            await _ordersDb.DisposeAsync();
        }

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
