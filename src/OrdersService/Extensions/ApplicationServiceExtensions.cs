using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using PerfReference.OrdersService.Caching;
using PerfReference.OrdersService.Checkout;
using PerfReference.OrdersService.Customers;
using PerfReference.OrdersService.Database;
using PerfReference.OrdersService.Infrastructure;
using PerfReference.OrdersService.Operations;
using PerfReference.OrdersService.Orders;
using PerfReference.OrdersService.Payments;
using PerfReference.OrdersService.Products;
using PerfReference.OrdersService.Products.Import;
using PerfReference.OrdersService.Statements;
using PerfReference.OrdersService.Stock;
using PerfReference.OrdersDatabase;
using PerfReference.Payments.V1;

namespace PerfReference.OrdersService.Extensions;

public static class ApplicationServiceExtensions
{
    /// <summary>Every dependency of the orders API, each named by the connection the AppHost gives it.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<OrdersDbContext>("ordersdb",
            configureDbContextOptions: options => options.UseSnakeCaseNamingConvention().AddInterceptors(BlockingCommandCounter.Instance));
        builder.AddOrdersDataSources();
        builder.AddRedisClient("cache");
        builder.AddKeyedRedisClient("cache"); // the Orleans client's clustering provider resolves it by key
        builder.UseOrleansClient(client => client
            .AddOutgoingGrainCallFilter<GrainCallCounter>()
            .AddOutgoingGrainCallFilter<GrainCallTimeoutFilter>()
            .Configure<GatewayOptions>(gateways =>
                // A restarted silo is a new gateway, a dead one a gateway that swallows every call sent through it: look
                // for the one and drop the other every two seconds (a read of the membership table), not every minute.
                gateways.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2))
            .Configure<ClientMessagingOptions>(messaging =>
                // A grain call answers in milliseconds; one to a silo that stopped answering would wait Orleans' default
                // 30 s, holding its request's admission slot all the while, and the requests behind it would be shed
                // although their grains are elsewhere. After 3 s it ends (503 with Retry-After): the client tries again.
                messaging.ResponseTimeout = TimeSpan.FromSeconds(3)));

        builder.AddPayments();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<OrderLinePricer>();
        builder.Services.AddScoped<OrderReader>();
        builder.Services.AddScoped<PaymentStatusReader>();
        builder.Services.AddSingleton<FixedWorkerPool>();
        builder.Services.AddScoped<StockReservations>();
        builder.Services.AddOptions<CatalogPageCacheOptions>().BindConfiguration(CatalogPageCacheOptions.SectionName);
        builder.Services.AddKeyedSingleton<IMemoryCache>(CatalogPageCache.BoundedCacheKey,
            (services, _) => CatalogPageCache.CreateBoundedCache(services.GetRequiredService<IOptions<CatalogPageCacheOptions>>().Value));
        builder.Services.AddScoped<CatalogPageCache>();
        builder.Services.AddScoped<OrderWriter>();
        builder.Services.AddScoped<CheckoutPayment>();
        builder.Services.AddScoped<CheckoutReads>();
        builder.Services.AddScoped<CheckoutLookup>();
        builder.Services.AddScoped<CheckoutService>();
        builder.Services.AddScoped<ProductCatalog>();
        builder.Services.AddScoped<CustomerProfileReader>();
        builder.Services.AddScoped<CustomerReader>();
        builder.Services.AddScoped<StatementReader>();
        builder.Services.AddScoped<OrdersSummaryReader>();
        builder.Services.AddScoped<OrderStatusReader>();
        builder.Services.AddScoped<OrderListReader>();
        builder.Services.AddScoped<ProductImporter>();
        builder.AddProductCacheWithWarmUp();

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<DependencyUnavailableHandler>();
        // A body that cannot be bound (malformed JSON, too large) is the client's mistake: answer
        // with its 4xx status, which the status-code pages turn into problem details, in every
        // environment (Development would otherwise throw it to the developer exception page).
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = false);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            // A number is a JSON number: "quantity": "3" is the client's mistake, answered with 400, not guessed at
            // (the web defaults would read numbers from strings).
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>
    /// The payment provider's client, its resilience pipeline and the payments outbox worker. The
    /// client opts out of the standard resilience handler that the ServiceDefaults give every
    /// HttpClient: the naive variant is meant to have no retry and no breaker, and the optimized one
    /// has its own explicit pipeline (<see cref="PaymentResilience"/>) that judges gRPC statuses;
    /// stacking both would retry retries and open two breakers on one dependency.
    /// </summary>
    public static IHostApplicationBuilder AddPayments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PerfGrpcClientInterceptor>();
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to opt one client out of ConfigureHttpClientDefaults.
        builder.Services
            .AddGrpcClient<PaymentProvider.PaymentProviderClient>(client => client.Address = new Uri("http://_grpc.payments"))
            .AddInterceptor<PerfGrpcClientInterceptor>()
            .RemoveAllResilienceHandlers()
            .AddServiceDiscovery();
#pragma warning restore EXTEXP0001

        builder.Services.AddOptions<PaymentGatewayOptions>().BindConfiguration(PaymentGatewayOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<PaymentWorkerOptions>().BindConfiguration(PaymentWorkerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddPaymentResilience(builder.Configuration);
        builder.Services.AddScoped<PaymentGateway>();
        builder.Services.AddScoped<PaymentSettler>();
        builder.Services.AddHostedService<PaymentCaptureWorker>();
        builder.Services.AddOptions<PaymentReconciliationOptions>().BindConfiguration(PaymentReconciliationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<PaymentReconciler>();
        return builder;
    }
}
