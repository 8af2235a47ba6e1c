using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PerfReference.OrdersService.Checkout;
using PerfReference.OrdersService.Orders;
using PerfReference.OrdersService.Payments;
using PerfReference.OrdersService.Products;
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

        builder.Services.Configure<PaymentGatewayOptions>(builder.Configuration.GetSection(PaymentGatewayOptions.SectionName));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<PaymentGateway>();
        builder.Services.AddScoped<OrderLinePricer>();
        builder.Services.AddScoped<OrderReader>();
        builder.Services.AddScoped<CheckoutService>();
        builder.Services.AddScoped<ProductCatalog>();

        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddOpenApi();
        return builder;
    }
}
