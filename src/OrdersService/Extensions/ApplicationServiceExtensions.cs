using Microsoft.EntityFrameworkCore;
using PerfReference.OrdersDatabase;
using PerfReference.Payments.V1;

namespace PerfReference.OrdersService.Extensions;

public static class ApplicationServiceExtensions
{
    /// <summary>Every dependency of the orders API, each named by the connection the AppHost gives it.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<OrdersDbContext>("ordersdb",
            configureDbContextOptions: options => options.UseSnakeCaseNamingConvention());
        builder.AddRedisClient("cache");
        builder.AddKeyedRedisClient("cache"); // the Orleans client's clustering provider resolves it by key
        builder.UseOrleansClient();

        builder.Services
            .AddGrpcClient<PaymentProvider.PaymentProviderClient>(client => client.Address = new Uri("http://_grpc.payments"))
            .AddServiceDiscovery();

        builder.Services.AddProblemDetails();
        return builder;
    }
}
