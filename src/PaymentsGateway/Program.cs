using PerfReference.PaymentsGateway.Payments;
using PerfReference.Performance;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPerfSwitch();
builder.AddRedisClient("cache");
builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<StoreUnavailableInterceptor>());
builder.Services.AddGrpcReflection();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddOptions<ProviderBehaviourOptions>().BindConfiguration(ProviderBehaviourOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<ProviderSimulation>();
builder.Services.AddSingleton<PaymentStore>();

var app = builder.Build();

app.UsePerfSwitch();

app.MapGrpcService<PaymentProviderService>();
app.MapGrpcService<ProviderAdminService>();
app.MapGrpcReflectionService();
app.MapDefaultEndpoints();

app.Run();
