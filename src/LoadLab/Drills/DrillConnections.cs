using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Drills;

/// <summary>
/// Where a drill finds the topology: given on the command line, or — as the AppHost gives the lab
/// resource — in configuration: <c>ConnectionStrings:ordersdb</c>, <c>ConnectionStrings:cache</c>,
/// <c>services:payments:grpc:0</c>, <c>LoadLab:PaymentsAdminKey</c>, and the orders API's address.
/// </summary>
public sealed record DrillConnections(string OrdersBaseUrl, string OrdersDb, string Payments, string PaymentsAdminKey, string Redis)
{
    public static DrillConnections From(IConfiguration configuration, string? ordersBaseUrl = null, string? ordersDb = null,
        string? payments = null, string? adminKey = null, string? redis = null) => new(
        ordersBaseUrl ?? configuration["services:orders:http:0"] ?? OrdersApiAddress.Direct,
        ordersDb ?? configuration.GetConnectionString("ordersdb") ?? Missing("--ordersdb", "ConnectionStrings__ordersdb"),
        payments ?? configuration["services:payments:grpc:0"] ?? Missing("--payments", "services__payments__grpc__0"),
        adminKey ?? configuration["LoadLab:PaymentsAdminKey"] ?? Missing("--admin-key", "LoadLab__PaymentsAdminKey"),
        redis ?? configuration.GetConnectionString("cache") ?? Missing("--redis", "ConnectionStrings__cache"));

    /// <summary>The Redis server's port, from its host:port.</summary>
    public DrillTopology Topology() =>
        int.TryParse(Redis.Split(',')[0].Split(':').Last(), out var port) ? new DrillTopology(port) : throw new LabInputException($"'{Redis}' is not a Redis host:port.");

    public DrillContext Open()
    {
        var orders = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = new Uri(OrdersBaseUrl.TrimEnd('/') + "/"),
            Timeout = TimeSpan.FromSeconds(15),
        };
        return new DrillContext(orders, OrdersDb, GrpcChannel.ForAddress(Payments), PaymentsAdminKey);
    }

    private static string Missing(string option, string variable) =>
        throw new LabInputException($"A drill needs {option} (or {variable} in the environment, as the AppHost gives the loadlab resource).");
}
