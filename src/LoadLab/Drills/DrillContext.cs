using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;
using PerfReference.Payments.V1;

namespace PerfReference.LoadLab.Drills;

/// <summary>
/// What a drill reaches: the orders API (the load), the orders database and the payment provider
/// (the books, and some faults), and the provider's admin service (its outages).
/// </summary>
public sealed class DrillContext(HttpClient orders, string ordersDbConnectionString, GrpcChannel payments, string paymentsAdminKey) : IAsyncDisposable
{
    public HttpClient Orders { get; } = orders;

    /// <summary>
    /// Unpooled: the drill's few reads each open a connection of their own. A pooled one left idle before a fault that
    /// drops or restarts the server's connections would be handed out broken afterwards, and the books could not be read.
    /// </summary>
    public NpgsqlDataSource OrdersDb { get; } = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(ordersDbConnectionString) { Pooling = false });

    internal PaymentProvider.PaymentProviderClient Payments { get; } = new(payments);

    internal PaymentProviderAdmin.PaymentProviderAdminClient PaymentsAdmin { get; } = new(payments);

    internal Metadata AdminHeaders { get; } = new() { { "x-admin-key", paymentsAdminKey } };

    /// <summary>The orders database's connection string, password included (a data source's own leaves it out).</summary>
    public NpgsqlConnectionStringBuilder OrdersDbServer => new(ordersDbConnectionString);

    public async ValueTask DisposeAsync()
    {
        Orders.Dispose();
        payments.Dispose();
        await OrdersDb.DisposeAsync();
    }
}
